namespace SerMlNet.Pipeline.Jobs;

/// <summary>The files a prepared or trained run keeps in its folder, by name.</summary>
public sealed class RunFolder
{
    /// <summary>Opens (and creates) a run folder.</summary>
    /// <param name="path">The folder, e.g. <c>runs/ravdess-cnn</c>.</param>
    public RunFolder(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>Copy of the job definition the run used.</summary>
    public string Job => Combine("job.json");

    /// <summary>CSV manifest of the dataset (path,label,speaker,gender,intensity).</summary>
    public string Manifest => Combine("manifest.csv");

    /// <summary>The splits (stratified and speaker folds).</summary>
    public string Splits => Combine("splits.json");

    /// <summary>Summary of the preparation: class counts per split part, cache use, timings.</summary>
    public string Preparation => Combine("prepare.json");

    /// <summary>The fitted feature pipeline.</summary>
    public string Pipeline => Combine("pipeline.json");

    /// <summary>Default feature cache folder.</summary>
    public string Cache => Combine("cache");

    /// <summary>Per-epoch training curves.</summary>
    public string Curves => Combine("curves.csv");

    /// <summary>Best checkpoint (model weights by validation macro-F1).</summary>
    public string BestCheckpoint => Combine("best.ckpt");

    /// <summary>Latest checkpoint (model, optimiser and trainer state; resumes a crashed run).</summary>
    public string LastCheckpoint => Combine("last.ckpt");

    /// <summary>Folder of the per-epoch weights kept for checkpoint averaging (<c>epochs/</c>).</summary>
    public string Epochs => Combine("epochs");

    /// <summary>Weights of one epoch kept for checkpoint averaging, e.g. <c>epochs/epoch-007.ckpt</c>.</summary>
    /// <param name="epoch">The 1-based epoch.</param>
    /// <returns>The file's path.</returns>
    public string EpochCheckpoint(int epoch) => System.IO.Path.Combine(Epochs, $"epoch-{epoch:D3}.ckpt");

    /// <summary>Folder of a seed ensemble's further members, each a run folder of its own (<c>members/</c>).</summary>
    public string Members => Combine("members");

    /// <summary>The run folder of the seed ensemble member trained with this seed, e.g. <c>members/seed7</c>.</summary>
    /// <param name="seed">The member's training seed.</param>
    /// <returns>The folder's path (not created).</returns>
    public string MemberFolder(long seed) => System.IO.Path.Combine(Members, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"seed{seed}"));

    /// <summary>Final metrics of the run.</summary>
    public string Metrics => Combine("metrics.json");

    private string Combine(string name) => System.IO.Path.Combine(Path, name);
}
