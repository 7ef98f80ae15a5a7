using SerMlNet.Evaluation.Reporting;
using SerMlNet.Training.Model;
using static TorchSharp.torch;

namespace SerMlNet.Training.Runs;

/// <summary>
/// Checkpoint averaging (as ESPnet's and fairseq's <c>average_checkpoints</c>): the weights of several epochs of one run,
/// averaged element-wise into one model. The trainer uses it when <see cref="TrainerOptions.AverageBestEpochs"/> is at
/// least 2. Thread-safe (static, no shared state).
/// </summary>
public static class CheckpointAveraging
{
    /// <summary>
    /// Fills <paramref name="model"/> with the element-wise mean of several state dicts of its architecture: every
    /// floating-point parameter and buffer (batch-norm running means and variances included, as ESPnet does) is averaged
    /// in double precision; integer buffers (batch-norm's batch counters) keep the last state's values.
    /// </summary>
    /// <param name="model">A model of the states' architecture (any device); it ends up holding the average.</param>
    /// <param name="states">TorchSharp state-dict bytes (a weights file's model section), at least one.</param>
    /// <param name="source">Names the states in an error message, e.g. the run folder.</param>
    /// <exception cref="InvalidFileException">A state does not fit the model's architecture.</exception>
    public static void Average(SerCnn model, IReadOnlyList<byte[]> states, string source)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(states);
        ArgumentOutOfRangeException.ThrowIfZero(states.Count);
        var sums = new Dictionary<string, Tensor>();
        try
        {
            using (no_grad())
            {
                foreach (byte[] state in states)
                {
                    ModelWeights.Deserialize(model, state, source);
                    foreach ((string name, Tensor value) in model.state_dict())
                    {
                        if (!value.is_floating_point())
                        {
                            continue;
                        }
                        if (sums.TryGetValue(name, out Tensor? sum))
                        {
                            using Tensor wide = value.to(ScalarType.Float64);
                            sum.add_(wide);
                        }
                        else
                        {
                            sums[name] = value.to(ScalarType.Float64, copy: true);
                        }
                    }
                }
                foreach ((string name, Tensor value) in model.state_dict())
                {
                    if (sums.TryGetValue(name, out Tensor? sum))
                    {
                        value.copy_(sum.div_(states.Count));
                    }
                }
            }
        }
        finally
        {
            foreach (Tensor sum in sums.Values)
            {
                sum.Dispose();
            }
        }
    }

    /// <summary>Averages weights files written by <see cref="ModelWeights.Save"/> into <paramref name="model"/>.</summary>
    /// <param name="model">A model of the files' architecture; it ends up holding the average.</param>
    /// <param name="paths">The files, at least one.</param>
    /// <exception cref="InvalidFileException">A file is missing, corrupt or of another architecture.</exception>
    public static void Average(SerCnn model, IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (string path in paths)
        {
            if (!File.Exists(path))
            {
                throw new InvalidFileException($"'{path}' is missing: the epochs to average are kept beside best.ckpt until the run ends (retrain, or resume the run that wrote them)");
            }
        }
        Average(model, [.. paths.Select(p => TorchFile.Require(TorchFile.Read(p, ModelWeights.FormatName, ModelWeights.FormatVersion), ModelWeights.ModelSection, p))],
            paths.Count == 1 ? paths[0] : Path.GetDirectoryName(paths[0]) ?? paths[0]);
    }
}
