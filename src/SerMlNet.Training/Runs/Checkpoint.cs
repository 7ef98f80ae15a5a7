using SerMlNet.Torch.Serialization;

namespace SerMlNet.Training.Runs;

/// <summary>
/// A resumable training state in one state-dict file (written atomically): model parameters and buffers under
/// <c>model.</c>, optimiser state under <c>optimizer.</c>, and the trainer's counters under <c>trainer.</c>.
/// </summary>
internal sealed record Checkpoint(StateDict Model, StateDict Optimizer, int EpochsDone, int Step, double BestValMacroF1, int BestEpoch, int EpochsWithoutImprovement, string JobHash)
{
    private const string ModelPrefix = "model.";
    private const string OptimizerPrefix = "optimizer.";
    private const string TrainerPrefix = "trainer.";

    public void Save(string path)
    {
        var all = new StateDict();
        foreach (StateDictEntry e in Model)
        {
            all.Add(new StateDictEntry(ModelPrefix + e.Name, e.Shape.ToArray(), e.Values));
        }
        foreach (StateDictEntry e in Optimizer)
        {
            all.Add(new StateDictEntry(OptimizerPrefix + e.Name, e.Shape.ToArray(), e.Values));
        }
        // Counters fit float32 exactly (all below 2^24); the job hash is stored as its UTF-16 code units.
        Scalar(all, "epochs_done", EpochsDone);
        Scalar(all, "step", Step);
        Scalar(all, "best_epoch", BestEpoch);
        Scalar(all, "epochs_without_improvement", EpochsWithoutImprovement);
        all.Add(new StateDictEntry(TrainerPrefix + "best_val_macro_f1", [1], [(float)BestValMacroF1]));
        all.Add(new StateDictEntry(TrainerPrefix + "job_hash", [JobHash.Length], [.. JobHash.Select(c => (float)c)]));
        all.Save(path);
    }

    public static Checkpoint Load(string path)
    {
        StateDict all = StateDict.Load(path);
        var model = new StateDict();
        var optimizer = new StateDict();
        foreach (StateDictEntry e in all)
        {
            if (e.Name.StartsWith(ModelPrefix, StringComparison.Ordinal))
            {
                model.Add(new StateDictEntry(e.Name[ModelPrefix.Length..], e.Shape.ToArray(), e.Values));
            }
            else if (e.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
            {
                optimizer.Add(new StateDictEntry(e.Name[OptimizerPrefix.Length..], e.Shape.ToArray(), e.Values));
            }
        }
        int Int(string name) => (int)all[TrainerPrefix + name].Values[0];
        string hash = new([.. all[TrainerPrefix + "job_hash"].Values.Select(v => (char)v)]);
        return new Checkpoint(model, optimizer, Int("epochs_done"), Int("step"), all[TrainerPrefix + "best_val_macro_f1"].Values[0], Int("best_epoch"), Int("epochs_without_improvement"), hash);
    }

    private static void Scalar(StateDict dict, string name, int value) =>
        dict.Add(new StateDictEntry(TrainerPrefix + name, [1], [value]));
}
