using System.Text.Json;
using SerMlNet.Evaluation.Metrics;
using SerMlNet.Onnx;
using SerMlNet.Pipeline.Composition;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Torch.Serialization;
using SerMlNet.Training.Jobs;
using SerMlNet.Training.Model;
using M = SerMlNet.Training.Model;
using O = SerMlNet.Onnx;

namespace SerMlNet.Training.Export;

/// <summary>
/// Turns a trained <see cref="SerCnn"/> (its architecture and a state dict) into the ONNX layer description, and a
/// finished run folder into <c>model.onnx</c> (input <c>log_mel</c>) and optionally <c>model-e2e.onnx</c> (input
/// raw PCM), each carrying the class labels, the fitted pipeline and the run's metrics in <c>metadata_props</c>.
/// </summary>
public static class SerCnnExport
{
    /// <summary>The ONNX layer description of a model with given weights.</summary>
    /// <param name="options">The architecture.</param>
    /// <param name="weights">Parameters and buffers by their state-dict names.</param>
    /// <returns>The description, input [N, 1, InputMels, InputFrames].</returns>
    /// <exception cref="InvalidOperationException">A tensor the architecture needs is missing.</exception>
    public static CnnDescription Describe(SerCnnOptions options, StateDict weights)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(weights);
        using var model = new SerCnn(options);
        var layers = new List<CnnLayer>();
        foreach (LayerDescriptor layer in model.Layers)
        {
            switch (layer)
            {
                case M.Conv2dLayer conv:
                    if (conv.Stride.Height != conv.Stride.Width || conv.Padding.Height != conv.Padding.Width)
                    {
                        throw new InvalidOperationException($"layer '{conv.Name}': only square strides and paddings export");
                    }
                    layers.Add(new O.Conv2dLayer(Tensor(weights, conv.WeightName), conv.BiasName is null ? null : Values(weights, conv.BiasName), (int)conv.Stride.Height, (int)conv.Padding.Height));
                    break;
                case M.BatchNorm2dLayer bn:
                    layers.Add(new O.BatchNorm2dLayer(Values(weights, bn.WeightName), Values(weights, bn.BiasName), Values(weights, bn.RunningMeanName), Values(weights, bn.RunningVarName), (float)bn.Epsilon));
                    break;
                case ReLULayer:
                    layers.Add(new ReluLayer());
                    break;
                case M.MaxPool2dLayer pool:
                    layers.Add(new O.MaxPool2dLayer((int)pool.KernelSize, (int)pool.Stride));
                    break;
                case GlobalAvgPool2dLayer:
                    layers.Add(new GlobalAvgPoolLayer());
                    layers.Add(new FlattenLayer());
                    break;
                case M.DropoutLayer dropout:
                    layers.Add(new O.DropoutLayer((float)dropout.Probability));
                    break;
                case M.LinearLayer linear:
                    layers.Add(new O.LinearLayer(Tensor(weights, linear.WeightName), linear.BiasName is null ? null : Values(weights, linear.BiasName)));
                    break;
                default:
                    throw new InvalidOperationException($"layer '{layer.Name}' ({layer.GetType().Name}) has no ONNX mapping");
            }
        }
        return new CnnDescription(layers, options.InputMels, options.InputFrames);
    }

    /// <summary>
    /// Exports a run folder (written by <c>ser train</c>): its job, best weights, fitted pipeline, labels and metrics.
    /// </summary>
    /// <param name="runFolder">The run folder.</param>
    /// <param name="modelPath">Destination of <c>model.onnx</c>.</param>
    /// <param name="endToEndPath">Destination of <c>model-e2e.onnx</c>, or null to skip it.</param>
    /// <exception cref="FileNotFoundException">The run lacks a file export needs.</exception>
    public static void ExportRun(string runFolder, string modelPath, string? endToEndPath)
    {
        var run = new RunFolder(runFolder);
        foreach (string required in (string[])[run.Job, run.BestCheckpoint, run.Pipeline, run.Preparation])
        {
            if (!File.Exists(required))
            {
                throw new FileNotFoundException($"'{runFolder}' is not a finished run: '{Path.GetFileName(required)}' is missing (train it with 'ser train' first)", required);
            }
        }
        JobDefinition job = JobDefinition.Load(run.Job);
        TransformerChain pipeline = TransformerChain.Load(run.Pipeline);
        IReadOnlyList<string> labels = ReadLabels(run.Preparation);
        CnnDescription cnn = Describe(job.Model, StateDict.Load(run.BestCheckpoint));
        var options = new OnnxExportOptions
        {
            ClassLabels = labels,
            FrontEndJson = pipeline.ToJson(),
            MetricsJson = File.Exists(run.Metrics) ? MetricsJson.Serialize(MetricsJson.Read(run.Metrics)) : null,
            DataSplitJson = JsonSerializer.Serialize(job.Data, PipelineJson.Options),
            Description = $"SerMlNet speech emotion recognition CNN, job '{job.Name}'",
        };
        OnnxExporter.Export(cnn, options, modelPath);
        if (endToEndPath is not null)
        {
            OnnxExporter.ExportEndToEnd(cnn, FrontEndDescriptionFactory.FromPipeline(pipeline), options, endToEndPath);
        }
    }

    private static IReadOnlyList<string> ReadLabels(string preparationPath)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(preparationPath));
        return [.. doc.RootElement.GetProperty("labels").EnumerateArray().Select(e => e.GetString()!)];
    }

    private static StateDictEntry Entry(StateDict weights, string name) =>
        weights.TryGetValue(name, out StateDictEntry? entry) ? entry : throw new InvalidOperationException($"the weights have no tensor '{name}'");

    private static float[] Values(StateDict weights, string name) => Entry(weights, name).Values;

    private static WeightTensor Tensor(StateDict weights, string name)
    {
        StateDictEntry entry = Entry(weights, name);
        int[] shape = new int[entry.Shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            shape[i] = checked((int)entry.Shape[i]);
        }
        return new WeightTensor(entry.Values, shape);
    }
}
