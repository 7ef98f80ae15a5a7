// Scores WAV files with a saved ML.NET emotion model in a fresh process, as a user's program would:
//   dotnet SerMlNet.ML.ZipProbe.dll <model.zip> <file listing one WAV path per line>
// Prints the loaded model's output schema ("schema<TAB>name:type ..."), then one line per file:
//   path<TAB>PredictedLabel<TAB>Score[0] Score[1] ... (round-trip floats)
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using SerMlNet.ML.Saving;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: SerMlNet.ML.ZipProbe <model.zip> <list of WAV paths>");
    return 2;
}
var mlContext = new MLContext(seed: 0);
mlContext.ComponentCatalog.RegisterAssembly(typeof(EmotionModelZip).Assembly);
ITransformer model = mlContext.Model.Load(args[0], out DataViewSchema inputSchema);
string[] paths = File.ReadAllLines(args[1]).Where(l => l.Length > 0).ToArray();
IDataView input = mlContext.Data.LoadFromEnumerable(paths.Select(p => new PathRow { Path = p }));
IDataView scored = model.Transform(input);
Console.WriteLine("input\t" + string.Join(' ', inputSchema.Select(c => $"{c.Name}:{c.Type}")));
Console.WriteLine("schema\t" + string.Join(' ', scored.Schema.Where(c => !c.IsHidden).Select(c => $"{c.Name}:{c.Type}")));
foreach (ScoredRow row in mlContext.Data.CreateEnumerable<ScoredRow>(scored, reuseRowObject: false))
{
    string scores = string.Join(' ', row.Score.Select(p => p.ToString("R", CultureInfo.InvariantCulture)));
    Console.WriteLine($"{row.Path}\t{row.PredictedLabel}\t{scores}");
}
(model as IDisposable)?.Dispose();
return 0;

internal sealed class PathRow
{
    public string Path { get; set; } = string.Empty;
}

internal sealed class ScoredRow
{
    public string Path { get; set; } = string.Empty;

    public string PredictedLabel { get; set; } = string.Empty;

    public float[] Score { get; set; } = [];
}
