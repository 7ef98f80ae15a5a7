using SerMlNet.Training.Engine;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SerMlNet.Training.Model;

/// <summary>
/// A training-only head that predicts the training speaker from <see cref="SerCnn"/>'s pooled embedding through a
/// gradient-reversal layer (Ganin &amp; Lempitsky 2015; for speech emotion, arXiv 1903.09606): Linear(embedding, hidden)
/// → ReLU → Linear(hidden, speakers). The head itself learns to recognise the speaker; the reversal multiplies the
/// gradient that reaches the network below it by −<see cref="ReversalWeight"/>, so the network learns an embedding from
/// which the speaker is hard to tell. It is never exported: the emotion model (<see cref="SerCnn"/>) stays the same.
/// </summary>
/// <remarks>Module and state-dict names: <c>hidden</c>, <c>output</c>. Not thread-safe.</remarks>
public sealed class SpeakerAdversary : Module<Tensor, Tensor>
{
    private readonly Linear hidden;
    private readonly ReLU activation;
    private readonly Linear output;

    /// <summary>Builds the head with freshly initialised weights (PyTorch's initialisation), on the CPU.</summary>
    /// <param name="embeddingSize">Width of the embedding (<see cref="SerCnn.EmbeddingSize"/>), ≥ 1.</param>
    /// <param name="hiddenUnits">Hidden units, ≥ 1.</param>
    /// <param name="speakers">Training speakers (classes of the head), ≥ 2.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    public SpeakerAdversary(long embeddingSize, int hiddenUnits, int speakers)
        : base(nameof(SpeakerAdversary))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(embeddingSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenUnits, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(speakers, 2);
        TorchEngine.EnsureInitialized();
        Speakers = speakers;
        hidden = Linear(embeddingSize, hiddenUnits);
        activation = ReLU();
        output = Linear(hiddenUnits, speakers);
        RegisterComponents();
    }

    /// <summary>Number of speakers the head tells apart.</summary>
    public int Speakers { get; }

    /// <summary>The factor λ ≥ 0 of the reversed gradient: the network below receives −λ times the gradient of the
    /// speaker loss with respect to the embedding. Default 1; the trainer sets it every step.</summary>
    public double ReversalWeight { get; set; } = 1;

    /// <summary>Speaker logits of a batch of embeddings, with the gradient reversed on the way back.</summary>
    /// <param name="input">[N, embedding] embeddings.</param>
    /// <returns>[N, speakers] unnormalised scores.</returns>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        Tensor logits = output.forward(activation.forward(hidden.forward(ReverseGradient(input, ReversalWeight))));
        return logits.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The identity on the way forward, −λ times the gradient on the way back: sg(x) − λ·(x − sg(x)), where sg stops the
    /// gradient (its value is x, its gradient 0). x − sg(x) is exactly 0, so the forward value is x bit for bit.
    /// TorchSharp has no custom autograd functions, and this needs none.
    /// </summary>
    /// <param name="input">Any float tensor.</param>
    /// <param name="lambda">λ ≥ 0.</param>
    /// <returns>A tensor equal to <paramref name="input"/> whose gradient is reversed and scaled by λ.</returns>
    public static Tensor ReverseGradient(Tensor input, double lambda)
    {
        ArgumentNullException.ThrowIfNull(input);
        using Tensor stopped = input.detach();
        using Tensor zero = input.sub(stopped);
        using Tensor reversed = zero.mul(lambda);
        return stopped.sub(reversed);
    }
}
