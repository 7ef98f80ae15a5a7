using SerMlNet.Torch;
using SerMlNet.Torch.NN;

namespace SerMlNet.Training.Model;

/// <summary>
/// The speech-emotion CNN: input [N, 1, mels, frames] log-Mel spectrograms, one block per entry of
/// <see cref="SerCnnOptions.Channels"/> of Conv2d(3×3, padding 1, no bias) → BatchNorm2d → ReLU → MaxPool2d(2), then
/// optionally a time-only stage (<see cref="SerCnnOptions.TemporalChannels"/>: Conv2d spanning the remaining frequency
/// axis → BatchNorm2d → ReLU, then <see cref="SerCnnOptions.TemporalBlocks"/> × Conv2d(1×3) → BatchNorm2d → ReLU), then
/// global average pooling, dropout and a linear head over <see cref="SerCnnOptions.ClassCount"/> classes (logits).
/// </summary>
/// <remarks>
/// Module and tensor names match the equivalent PyTorch model (<c>tests/benchmarks/torch_step.py</c>):
/// <c>features.{4b}</c> is block b's convolution, <c>features.{4b+1}</c> its batch norm (ReLU and pooling at
/// <c>4b+2</c>, <c>4b+3</c>), <c>pool</c>, <c>dropout</c>, <c>classifier</c>. <see cref="Layers"/> lists the same
/// architecture as data for exporters. Not thread-safe (one training loop or one inference thread at a time).
/// </remarks>
public sealed class SerCnn : Module
{
    private readonly Sequential _features;
    private readonly GlobalAvgPool2d _pool;
    private readonly Dropout _dropout;
    private readonly Linear _classifier;

    /// <summary>Builds the model with freshly initialised weights (PyTorch's initialisation; seed with
    /// <see cref="SerMlNet.Torch.LibTorch.ManualSeed"/> first for reproducible weights).</summary>
    /// <param name="options">Architecture; default <see cref="SerCnnOptions"/>'s defaults. Validated.</param>
    public SerCnn(SerCnnOptions? options = null)
    {
        Options = options ?? new SerCnnOptions();
        Options.Validate();
        var layers = new List<LayerDescriptor>();
        _features = RegisterModule("features", new Sequential());
        long channels = 1, height = Options.InputMels, width = Options.InputFrames;
        for (int block = 0; block < Options.Channels.Count; block++)
        {
            long outChannels = Options.Channels[block];
            string conv = $"features.{4 * block}", norm = $"features.{(4 * block) + 1}";
            long[] input = [channels, height, width], convolved = [outChannels, height, width];
            _features.Add(new Conv2d(channels, outChannels, 3, padding: 1, bias: false));
            _features.Add(new BatchNorm2d(outChannels, Options.BatchNormEpsilon, Options.BatchNormMomentum));
            _features.Add(new ReLU());
            _features.Add(new MaxPool2d(2));
            long[] pooled = [outChannels, height / 2, width / 2];
            layers.Add(new Conv2dLayer(conv, input, convolved, channels, outChannels, (3, 3), (1, 1), (1, 1), conv + ".weight", null));
            layers.Add(new BatchNorm2dLayer(norm, convolved, convolved, outChannels, Options.BatchNormEpsilon, Options.BatchNormMomentum,
                norm + ".weight", norm + ".bias", norm + ".running_mean", norm + ".running_var"));
            layers.Add(new ReLULayer($"features.{(4 * block) + 2}", convolved, convolved));
            layers.Add(new MaxPool2dLayer($"features.{(4 * block) + 3}", convolved, pooled, 2, 2));
            (channels, height, width) = (outChannels, height / 2, width / 2);
        }
        int index = 4 * Options.Channels.Count;
        if (Options.TemporalChannels > 0)
        {
            (channels, width) = AddTemporalConv(layers, ref index, channels, Options.TemporalChannels, (height, 1), width);
            height = 1;
            for (int block = 0; block < Options.TemporalBlocks; block++)
            {
                (channels, width) = AddTemporalConv(layers, ref index, channels, Options.TemporalChannels, (1, 3), width);
            }
        }
        _pool = RegisterModule("pool", new GlobalAvgPool2d());
        _dropout = RegisterModule("dropout", new Dropout(Options.Dropout));
        _classifier = RegisterModule("classifier", new Linear(channels, Options.ClassCount));
        layers.Add(new GlobalAvgPool2dLayer("pool", [channels, height, width], [channels]));
        layers.Add(new DropoutLayer("dropout", [channels], [channels], Options.Dropout));
        layers.Add(new LinearLayer("classifier", [channels], [Options.ClassCount], channels, Options.ClassCount, "classifier.weight", "classifier.bias"));
        Layers = layers;
        InputShape = [1, Options.InputMels, Options.InputFrames];
    }

    /// <summary>Adds Conv2d(kernel, no padding, no bias) → BatchNorm2d → ReLU on a [channels, kernel.Height, width] input.</summary>
    private (long Channels, long Width) AddTemporalConv(List<LayerDescriptor> layers, ref int index, long channels, long outChannels, (long Height, long Width) kernel, long width)
    {
        string conv = $"features.{index}", norm = $"features.{index + 1}";
        long outWidth = width - kernel.Width + 1;
        long[] input = [channels, kernel.Height, width], output = [outChannels, 1, outWidth];
        _features.Add(new Conv2d(channels, outChannels, kernel, bias: false));
        _features.Add(new BatchNorm2d(outChannels, Options.BatchNormEpsilon, Options.BatchNormMomentum));
        _features.Add(new ReLU());
        layers.Add(new Conv2dLayer(conv, input, output, channels, outChannels, kernel, (1, 1), (0, 0), conv + ".weight", null));
        layers.Add(new BatchNorm2dLayer(norm, output, output, outChannels, Options.BatchNormEpsilon, Options.BatchNormMomentum,
            norm + ".weight", norm + ".bias", norm + ".running_mean", norm + ".running_var"));
        layers.Add(new ReLULayer($"features.{index + 2}", output, output));
        index += 3;
        return (outChannels, outWidth);
    }

    /// <summary>The architecture the model was built with.</summary>
    public SerCnnOptions Options { get; }

    /// <summary>Per-sample input shape, [1, mels, frames].</summary>
    public IReadOnlyList<long> InputShape { get; }

    /// <summary>Every layer in application order with its settings, tensor names and shapes (evaluation semantics);
    /// the tensor names cover <see cref="Module.StateDict"/> exactly.</summary>
    public IReadOnlyList<LayerDescriptor> Layers { get; }

    /// <summary>A copy with the same options, weights, running statistics and mode (e.g. to keep the best model of a
    /// run in memory). Draws the discarded initial weights from libtorch's generator, like any new model.</summary>
    /// <returns>An independent model; dispose it.</returns>
    public SerCnn Clone()
    {
        var copy = new SerCnn(Options);
        try
        {
            copy.LoadStateDict(StateDict());
            copy.Train(IsTraining);
            return copy;
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    /// <summary>Class logits for a batch of spectrograms.</summary>
    /// <param name="input">[N, 1, mels, frames], Float32; any mels/frames ≥ 2^blocks work (global pooling), the
    /// options' sizes are the ones the model is trained and exported with.</param>
    /// <returns>[N, classes] unnormalised scores (apply softmax for probabilities).</returns>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using Tensor features = _features.Forward(input);
        using Tensor pooled = _pool.Forward(features);
        using Tensor dropped = _dropout.Forward(pooled);
        return _classifier.Forward(dropped);
    }
}
