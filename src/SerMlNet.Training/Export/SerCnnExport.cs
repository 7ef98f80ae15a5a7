using System.Text.Json;
using SerMlNet.Evaluation.Metrics;
using SerMlNet.Onnx;
using SerMlNet.Pipeline.Features;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Training.Jobs;
using SerMlNet.Training.Model;
using SerMlNet.Training.Runs;
using TorchSharp.Modules;
using static TorchSharp.torch;
using O = SerMlNet.Onnx;

namespace SerMlNet.Training.Export;

/// <summary>
/// Turns a trained <see cref="SerCnn"/> into the ONNX layer description by walking its module tree (the network is
/// described once, by the module), and a finished run folder into <c>model.onnx</c> (input <c>log_mel</c>) and
/// optionally <c>model-e2e.onnx</c> (input raw PCM), each carrying the class labels, the fitted pipeline and the run's
/// metrics in <c>metadata_props</c>.
/// </summary>
public static class SerCnnExport
{
    /// <summary>The ONNX layer description of a model, in evaluation semantics (batch norm with running statistics,
    /// dropout as identity), read from its module tree and its current weights.</summary>
    /// <param name="model">The model (any device; its tensors are copied to the CPU).</param>
    /// <returns>The description, input [N, 1, InputMels, InputFrames].</returns>
    /// <exception cref="InvalidOperationException">A module has no ONNX mapping (e.g. a non-square stride).</exception>
    public static CnnDescription Describe(SerCnn model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var layers = new List<CnnLayer>();
        foreach ((string name, nn.Module module) in model.Layers)
        {
            switch (module)
            {
                case Conv2d conv:
                    if (conv.stride[0] != conv.stride[1] || conv.padding![0] != conv.padding[1] || conv.dilation.Any(d => d != 1) || conv.groups != 1)
                    {
                        throw new InvalidOperationException($"layer '{name}': only square strides and paddings, dilation 1 and group 1 export");
                    }
                    layers.Add(new O.Conv2dLayer(Weight(conv.weight), conv.bias is null ? null : Values(conv.bias), (int)conv.stride[0], (int)conv.padding![0]));
                    break;
                case BatchNorm2d bn:
                    layers.Add(new O.BatchNorm2dLayer(Values(bn.weight!), Values(bn.bias!), Values(bn.running_mean!), Values(bn.running_var!), (float)bn.eps));
                    break;
                case ReLU:
                    layers.Add(new ReluLayer());
                    break;
                case MaxPool2d pool:
                    if (pool.kernel_size[0] != pool.kernel_size[1] || (pool.stride is { } stride && stride[0] != stride[1]) || pool.padding?.Any(p => p != 0) == true || pool.ceil_mode)
                    {
                        throw new InvalidOperationException($"layer '{name}': only square, unpadded, floor-mode max pooling exports");
                    }
                    layers.Add(new O.MaxPool2dLayer((int)pool.kernel_size[0], pool.stride is { } s ? (int)s[0] : null));
                    break;
                case AdaptiveAvgPool2d gap when gap.output_size.All(size => size == 1):
                    layers.Add(new GlobalAvgPoolLayer());
                    layers.Add(new FlattenLayer());
                    break;
                case AttentiveStatisticsPooling attentive:
                {
                    long[] shape = attentive.Projection.weight!.shape;
                    layers.Add(new AttentiveStatsPoolLayer(
                        new WeightTensor(Values(attentive.Projection.weight), [(int)shape[0], (int)shape[1]]),
                        Values(attentive.Projection.bias!), Values(attentive.Score.weight!), Values(attentive.Score.bias!)[0], (float)attentive.Epsilon));
                    break;
                }
                case Dropout dropout:
                    layers.Add(new O.DropoutLayer((float)dropout.p));
                    break;
                case Linear linear:
                    layers.Add(new O.LinearLayer(Weight(linear.weight!), linear.bias is null ? null : Values(linear.bias)));
                    break;
                default:
                    throw new InvalidOperationException($"layer '{name}' ({module.GetType().Name}) has no ONNX mapping");
            }
        }
        return new CnnDescription(layers, model.Options.InputMels, model.Options.InputFrames);
    }

    /// <summary>
    /// Exports a run folder (written by <c>ser train</c>): its job, best weights, fitted pipeline, labels and metrics.
    /// </summary>
    /// <param name="runFolder">The run folder.</param>
    /// <param name="modelPath">Destination of <c>model.onnx</c>.</param>
    /// <param name="endToEndPath">Destination of <c>model-e2e.onnx</c>, or null to skip it.</param>
    /// <exception cref="FileNotFoundException">The run lacks a file export needs.</exception>
    public static void ExportRun(string runFolder, string modelPath, string? endToEndPath) => _ = ExportRuns([runFolder], modelPath, endToEndPath);

    /// <summary>
    /// Exports one run, or several as one ensemble model: the members' best weights side by side in one graph, fed the
    /// same features, <c>probabilities</c> the mean of theirs (<see cref="O.OnnxExporter"/>). The runs must share the class
    /// labels, the fitted front end (pipeline) and the data split they were trained on, e.g. one job or one fold trained
    /// with several seeds; the model then keeps that front end and split. An ensemble of several runs stores no training
    /// metrics (each run's belong to its own network): score it with <c>ser evaluate</c>. One seed-ensemble run keeps
    /// its own, which <c>ser train</c> computed from the mean of its members.
    /// </summary>
    /// <param name="runFolders">The run folders, at least one; one gives exactly <see cref="ExportRun"/>'s model. A run
    /// of a seed ensemble (<see cref="TrainerOptions.EnsembleSeeds"/>) counts with all its members.</param>
    /// <param name="modelPath">Destination of <c>model.onnx</c>.</param>
    /// <param name="endToEndPath">Destination of <c>model-e2e.onnx</c>, or null to skip it.</param>
    /// <exception cref="FileNotFoundException">A run lacks a file export needs.</exception>
    /// <returns>How many networks the model holds (1 for one run of one network).</returns>
    /// <exception cref="O.OnnxValidationException">The runs disagree on labels, front end or split (every disagreement listed), or a network does not export.</exception>
    public static int ExportRuns(IReadOnlyList<string> runFolders, string modelPath, string? endToEndPath)
    {
        ArgumentNullException.ThrowIfNull(runFolders);
        if (runFolders.Count == 0)
        {
            throw new ArgumentException("at least one run folder is needed", nameof(runFolders));
        }
        // Every run's files are read and compared before any weights are loaded; a seed-ensemble run brings its members.
        RunRecord[] runs = [.. runFolders.Select(RunRecord.Read).SelectMany(run => (RunRecord[])[run, .. run.Members()])];
        RunRecord first = runs[0];
        var problems = new List<string>();
        foreach (RunRecord other in runs.Skip(1))
        {
            if (!other.Labels.SequenceEqual(first.Labels, StringComparer.Ordinal))
            {
                problems.Add($"'{other.Folder}' has labels [{string.Join(", ", other.Labels)}] but '{first.Folder}' has [{string.Join(", ", first.Labels)}]");
            }
            if (!string.Equals(other.PipelineJson, first.PipelineJson, StringComparison.Ordinal))
            {
                problems.Add($"'{other.Folder}' has another fitted front end (pipeline.json) than '{first.Folder}'; an ensemble's members share one front end");
            }
            if (!string.Equals(other.Split, first.Split, StringComparison.Ordinal))
            {
                problems.Add($"'{other.Folder}' was trained on another data split than '{first.Folder}' (its held-out clips would differ)");
            }
        }
        if (problems.Count > 0)
        {
            throw new O.OnnxValidationException("ensemble export", problems);
        }
        var members = new List<CnnDescription>(runs.Length);
        foreach (RunRecord run in runs)
        {
            using var model = new SerCnn(run.Job.Model);
            ModelWeights.Load(model, run.Files.BestCheckpoint);
            model.eval();
            members.Add(Describe(model));
        }
        var options = new OnnxExportOptions
        {
            ClassLabels = first.Labels,
            FrontEndJson = first.PipelineJson,
            // Several runs' metrics would be one member's: they store none. One run's are its model's, a seed
            // ensemble's included (ser train evaluates the mean of its members).
            MetricsJson = runFolders.Count == 1 && File.Exists(first.Files.Metrics) ? MetricsJson.Serialize(MetricsJson.Read(first.Files.Metrics)) : null,
            DataSplitJson = first.Split,
            Description = runs.Length == 1
                ? $"SerMlNet speech emotion recognition CNN, job '{first.Job.Name}'"
                : $"SerMlNet speech emotion recognition ensemble of {runs.Length} CNNs (mean probabilities), jobs {string.Join(", ", runs.Select(r => $"'{r.Job.Name}'"))}",
        };
        O.OnnxExporter.Export(members, options, modelPath);
        if (endToEndPath is not null)
        {
            O.OnnxExporter.ExportEndToEnd(members, FrontEndDescriptionFactory.FromPipeline(first.Pipeline), options, endToEndPath);
        }
        return members.Count;
    }

    /// <summary>What export reads from a finished run folder besides its weights.</summary>
    /// <param name="Folder">The folder as given.</param>
    /// <param name="Files">Its file layout.</param>
    /// <param name="Job">The job that trained it.</param>
    /// <param name="Pipeline">The fitted front end.</param>
    /// <param name="PipelineJson">The fitted front end as stored in the model's metadata.</param>
    /// <param name="Labels">The class labels in output order.</param>
    /// <param name="Split">The data split record (<see cref="SplitRecord"/>).</param>
    private sealed record RunRecord(string Folder, RunFolder Files, JobDefinition Job, FittedFrontEnd Pipeline, string PipelineJson, IReadOnlyList<string> Labels, string Split)
    {
        public static RunRecord Read(string folder)
        {
            var run = new RunFolder(folder);
            foreach (string required in (string[])[run.Job, run.BestCheckpoint, run.Pipeline, run.Preparation])
            {
                if (!File.Exists(required))
                {
                    throw new FileNotFoundException($"'{folder}' is not a finished run: '{Path.GetFileName(required)}' is missing (train it with 'ser train' first)", required);
                }
            }
            JobDefinition job = JobDefinition.Load(run.Job);
            FittedFrontEnd pipeline = FittedFrontEnd.Load(run.Pipeline);
            (IReadOnlyList<string> labels, string? trainedSplit) = ReadPreparation(run.Preparation);
            // The split the run was trained on (a cross-validation fold's run says fold1 … foldK, not the job's default),
            // so 'ser evaluate --split test' rebuilds that run's own held-out part.
            return new RunRecord(folder, run, job, pipeline, pipeline.ToJson(), labels, SplitRecord(job.Data, trainedSplit));
        }

        /// <summary>The further members of a seed-ensemble run (<see cref="TrainerOptions.EnsembleSeeds"/>); none for one network.</summary>
        public IEnumerable<RunRecord> Members() => (Job.Training.EnsembleSeeds ?? []).Select(seed => Read(Files.MemberFolder(seed)));
    }

    private static (IReadOnlyList<string> Labels, string? Split) ReadPreparation(string preparationPath)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(preparationPath));
        string? split = doc.RootElement.TryGetProperty("split", out JsonElement e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        return ([.. doc.RootElement.GetProperty("labels").EnumerateArray().Select(e => e.GetString()!)], split);
    }

    /// <summary>The job's data options as JSON, with <c>split</c> set to the split the run was trained on.</summary>
    /// <param name="data">The job's data options.</param>
    /// <param name="trainedSplit">The split recorded by the run's preparation, or null to keep the job's.</param>
    /// <returns>The JSON stored under <c>data_split</c>.</returns>
    internal static string SplitRecord(DataOptions data, string? trainedSplit)
    {
        var node = JsonSerializer.SerializeToNode(data, PipelineJson.Options)!.AsObject();
        if (trainedSplit is not null)
        {
            node["split"] = trainedSplit;
        }
        return node.ToJsonString(PipelineJson.Options);
    }

    private static float[] Values(Tensor tensor)
    {
        using Tensor cpu = tensor.detach().cpu().contiguous();
        return cpu.data<float>().ToArray();
    }

    private static WeightTensor Weight(Tensor tensor)
    {
        int[] shape = new int[tensor.shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            shape[i] = checked((int)tensor.shape[i]);
        }
        return new WeightTensor(Values(tensor), shape);
    }
}
