using System.Text.Json;
using SerMlNet.Pipeline.Features;
using SerMlNet.Pipeline.Jobs;
using SerMlNet.Training.Export;

namespace SerMlNet.Training.Tests.Export;

public sealed class SplitRecordTests
{
    [Fact]
    public void A_fold_run_records_its_own_fold_so_evaluate_rebuilds_its_held_out_speakers()
    {
        var job = new DataOptions { Folds = 5, Seed = 7, ValidationSpeakers = 2 };
        DataOptions fold = JsonSerializer.Deserialize<DataOptions>(SerCnnExport.SplitRecord(job, "fold3"), PipelineJson.Options)!;
        Assert.Equal("fold3", fold.Split);
        Assert.Equal(7, fold.Seed);
        Assert.Equal(5, fold.Folds);
        DataOptions unchanged = JsonSerializer.Deserialize<DataOptions>(SerCnnExport.SplitRecord(job, null), PipelineJson.Options)!;
        Assert.Equal("stratified", unchanged.Split);
    }
}
