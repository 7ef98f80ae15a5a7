using System.CommandLine;
using System.Text.Json;
using SerMlNet.ML;
using SerMlNet.Onnx.Recognition;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Features;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Pipeline.Splits;

namespace SerMlNet.Cli.Commands.Bench;

/// <summary>
/// <c>ser bench mlnet -m artifacts/model.onnx -d ../shared/data/ravdess-16k</c>: the model's own test split scored by
/// our ONNX Runtime path and by ML.NET's <c>ApplyOnnxModel</c>, measured by our evaluator and by ML.NET's multiclass
/// evaluator, side by side (<see cref="MlNetComparison"/>). Prints a Markdown table.
/// </summary>
public static class MlNetBench
{
    /// <summary>Builds the command.</summary>
    /// <returns>The <c>mlnet</c> command.</returns>
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "An exported log-Mel model (model.onnx).", DefaultValueFactory = _ => "artifacts/model.onnx" };
        var data = new Option<string>("--data", "-d") { Description = "The dataset the model was trained on (its test split is rebuilt from the model's metadata).", Required = true };
        var command = new Command("mlnet", "Score the model's test split with ML.NET's ApplyOnnxModel and evaluate with ML.NET's multiclass evaluator, next to ours.")
        {
            model, data,
        };
        command.SetAction(parse => Run(parse.GetValue(model)!, parse.GetValue(data)!));
        return command;
    }

    private static int Run(string modelPath, string dataPath)
    {
        DatasetCatalog catalog = DatasetCatalog.Open(dataPath);
        IReadOnlyList<Clip> clips;
        using (EmotionRecognizer recognizer = EmotionRecognizer.Open(modelPath))
        {
            string json = recognizer.Model.Metadata.All.TryGetValue(Onnx.OnnxMetadataKeys.DataSplit, out string? split)
                ? split
                : throw new UsageException("the model does not record its training split");
            DataOptions options = JsonSerializer.Deserialize<DataOptions>(json, PipelineJson.Options)!;
            clips = options.MakeSplits(catalog)[options.Split].Select(catalog, SplitPart.Test);
        }
        MlNetComparisonResult r = MlNetComparison.Compare(modelPath, clips);
        Console.WriteLine($"{r.Clips} test clips of {catalog.Name}, one fixed-length crop each; model {modelPath}");
        Console.WriteLine($"engines: max |p(OnnxModel) - p(ML.NET ApplyOnnxModel)| = {r.MaxProbabilityDifference:E2}, same label {r.SameLabel}/{r.Clips}");
        Console.WriteLine();
        Console.WriteLine("| measure | ours | ML.NET |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| accuracy (ML.NET: micro accuracy) | {r.Ours.Accuracy:F6} | {r.MicroAccuracy:F6} |");
        Console.WriteLine($"| mean per-class recall (ML.NET: macro accuracy) | {r.OursMacroRecall:F6} | {r.MacroAccuracy:F6} |");
        Console.WriteLine($"| log-loss | {r.OursLogLoss:F6} | {r.LogLoss:F6} |");
        Console.WriteLine($"| log-loss reduction | – | {r.LogLossReduction:F6} |");
        Console.WriteLine($"| confusion matrix | {(r.Ours.Confusion.Counts.Zip(r.ConfusionCounts).All(p => p.First.SequenceEqual(p.Second)) ? "equal" : "DIFFERENT")} | |");
        Console.WriteLine($"| macro-F1 [95 % bootstrap] (ours only) | {r.Ours.MacroF1:F6} [{r.Ours.MacroF1Ci95.Lower:F3}, {r.Ours.MacroF1Ci95.Upper:F3}] | – |");
        return 0;
    }
}
