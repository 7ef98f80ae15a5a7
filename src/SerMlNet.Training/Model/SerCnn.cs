using SerMlNet.Training.Engine;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SerMlNet.Training.Model;

/// <summary>
/// The speech-emotion CNN as one TorchSharp module tree: input [N, 1, mels, frames] log-Mel spectrograms, one block per
/// entry of <see cref="SerCnnOptions.Channels"/> of Conv2d(3×3, padding 1, no bias) → BatchNorm2d → ReLU →
/// MaxPool2d(2), then optionally a time-only stage (<see cref="SerCnnOptions.TemporalChannels"/>: Conv2d spanning the
/// remaining frequency axis → BatchNorm2d → ReLU, then <see cref="SerCnnOptions.TemporalBlocks"/> × Conv2d(1×3) →
/// BatchNorm2d → ReLU), then global average pooling (or attentive statistics pooling,
/// <see cref="SerCnnOptions.AttentionChannels"/>), dropout and a linear head over
/// <see cref="SerCnnOptions.ClassCount"/> classes (logits).
/// </summary>
/// <remarks>
/// The tree is the only description of the network: training runs it, and the ONNX exporter
/// (<see cref="Export.SerCnnExport.Describe(SerCnn)"/>) walks it. Module and state-dict names match the equivalent
/// PyTorch model (<c>tests/benchmarks/torch_step.py</c>): <c>features.{i}</c> in application order, <c>pool</c>,
/// <c>dropout</c>, <c>classifier</c>. Not thread-safe (one training loop or one inference thread at a time).
/// </remarks>
public sealed class SerCnn : Module<Tensor, Tensor>
{
    private readonly Sequential features;
    private readonly Module<Tensor, Tensor> pool;
    private readonly Flatten flatten;
    private readonly Dropout dropout;
    private readonly Linear classifier;

    /// <summary>Builds the model with freshly initialised weights (PyTorch's initialisation; seed with
    /// <see cref="TorchEngine.ManualSeed"/> first for reproducible weights), on the CPU, in training mode.</summary>
    /// <param name="options">Architecture; default <see cref="SerCnnOptions"/>'s defaults. Validated.</param>
    /// <exception cref="SerMlNet.Audio.OptionsValidationException">A field of <paramref name="options"/> is invalid.</exception>
    public SerCnn(SerCnnOptions? options = null)
        : base(nameof(SerCnn))
    {
        TorchEngine.EnsureInitialized();
        Options = options ?? new SerCnnOptions();
        Options.Validate();
        var layers = new List<(string Name, Module<Tensor, Tensor> Module)>();
        long channels = 1, height = Options.InputMels;
        void Add(Module<Tensor, Tensor> module) => layers.Add((layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module));
        void ConvBlock(long outChannels, (long Height, long Width) kernel, (long Height, long Width) padding)
        {
            Add(Conv2d(channels, outChannels, kernel, padding: padding, bias: false));
            Add(BatchNorm2d(outChannels, Options.BatchNormEpsilon, Options.BatchNormMomentum));
            Add(ReLU());
            channels = outChannels;
        }
        foreach (int outChannels in Options.Channels)
        {
            ConvBlock(outChannels, (3, 3), (1, 1));
            Add(MaxPool2d(2));
            height /= 2;
        }
        if (Options.TemporalChannels > 0)
        {
            ConvBlock(Options.TemporalChannels, (height, 1), (0, 0));
            for (int block = 0; block < Options.TemporalBlocks; block++)
            {
                ConvBlock(Options.TemporalChannels, (1, 3), (0, 0));
            }
        }
        features = Sequential(layers.ToArray());
        pool = Options.AttentionChannels > 0 ? new AttentiveStatisticsPooling(channels, Options.AttentionChannels) : AdaptiveAvgPool2d(1);
        EmbeddingSize = Options.AttentionChannels > 0 ? 2 * channels : channels;
        flatten = Flatten();
        dropout = Dropout(Options.Dropout);
        classifier = Linear(EmbeddingSize, Options.ClassCount);
        RegisterComponents();
    }

    /// <summary>The architecture the model was built with.</summary>
    public SerCnnOptions Options { get; }

    /// <summary>Width of the pooled embedding that the linear head reads (the last block's channels, twice that with
    /// attentive statistics pooling).</summary>
    public long EmbeddingSize { get; }

    /// <summary>Per-sample input shape, [1, mels, frames].</summary>
    public IReadOnlyList<long> InputShape => [1, Options.InputMels, Options.InputFrames];

    /// <summary>The layers in application order (<c>features.*</c>, then <c>pool</c>, <c>dropout</c>,
    /// <c>classifier</c>) with their state-dict prefixes: what the ONNX exporter reads.</summary>
    public IEnumerable<(string Name, Module Module)> Layers
    {
        get
        {
            foreach ((string name, Module module) in features.named_children())
            {
                yield return ($"features.{name}", module);
            }
            yield return ("pool", pool);
            yield return ("dropout", dropout);
            yield return ("classifier", classifier);
        }
    }

    /// <summary>
    /// The same single-channel spectrograms, declared channels-last (NHWC strides over the same memory: with one
    /// channel both layouts order the values alike). libtorch then runs every convolution of the network in oneDNN's
    /// NHWC kernels instead of reordering between NCHW and its blocked layouts around each one: measured on the 2-core
    /// machine (AVX2 kernels, batch 32 of 1×128×300, 2 threads) 267 ms per training step in NCHW against 166–190 ms.
    /// Inputs with several channels or other strides pass unchanged.
    /// </summary>
    private static Tensor ChannelsLast(Tensor input)
    {
        if (input.dim() != 4 || input.shape[1] != 1 || !input.is_contiguous())
        {
            return input;
        }
        long[] shape = input.shape;
        return input.as_strided(shape, [shape[2] * shape[3], 1, shape[3], 1]);
    }

    /// <summary>Number of trainable values.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>Class logits for a batch of spectrograms.</summary>
    /// <param name="input">[N, 1, mels, frames], float32, on the model's device; any mels/frames that survive the
    /// pooling work (global pooling), the options' sizes are the ones the model is trained and exported with.</param>
    /// <returns>[N, classes] unnormalised scores (apply softmax for probabilities).</returns>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        return classifier.forward(dropout.forward(Embed(input))).MoveToOuterDisposeScope();
    }

    /// <summary>Class logits and the pooled embedding they are computed from (what a training-only head such as
    /// <see cref="SpeakerAdversary"/> reads).</summary>
    /// <param name="input">As <see cref="forward(Tensor)"/>.</param>
    /// <returns>Logits [N, classes] and the embedding [N, <see cref="EmbeddingSize"/>] after global average pooling,
    /// before dropout.</returns>
    public (Tensor Logits, Tensor Embedding) ForwardWithEmbedding(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        Tensor embedding = Embed(input);
        Tensor logits = classifier.forward(dropout.forward(embedding));
        return (logits.MoveToOuterDisposeScope(), embedding.MoveToOuterDisposeScope());
    }

    private Tensor Embed(Tensor input) => flatten.forward(pool.forward(features.forward(ChannelsLast(input))));
}
