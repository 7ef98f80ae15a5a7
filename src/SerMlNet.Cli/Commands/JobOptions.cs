using System.CommandLine;

namespace SerMlNet.Cli.Commands;

/// <summary>The options every job command shares: the job file, the dataset, the run folder, the cache.</summary>
internal sealed class JobOptions
{
    public Option<string> Pipeline { get; } = new("--pipeline", "-p") { Description = "Job definition JSON (front end, augmentation, model, training).", DefaultValueFactory = _ => "pipelines/ravdess-cnn.json" };

    public Option<string> Data { get; } = new("--data", "-d") { Description = "Dataset: a RAVDESS folder, a folder with manifest.csv, or a CSV manifest (path,label[,speaker][,gender]).", Required = true };

    public Option<string> Out { get; } = new("--out", "-o") { Description = "Run folder for manifest, splits, cache, checkpoints and metrics.", Required = true };

    public Option<string?> Cache { get; } = new("--cache") { Description = "Feature cache folder (default <out>/cache); share one between runs to reuse features." };

    public Option<string?> Split { get; } = new("--split") { Description = "Split to use: stratified or fold1..foldK (default: the job's data.split)." };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Pipeline, Data, Out, Cache, Split })
        {
            command.Options.Add(option);
        }
    }
}
