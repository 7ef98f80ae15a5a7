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
    /// The epochs to average: the <paramref name="count"/> with the highest validation macro-F1, ties going to the
    /// earlier epoch (as the trainer's best-epoch choice, so that <paramref name="count"/> = 1 selects its best epoch).
    /// Without a validation figure (NaN in any row, an in-memory run without validation items) the last
    /// <paramref name="count"/> epochs are taken.
    /// </summary>
    /// <param name="curves">The run's finished epochs, in order.</param>
    /// <param name="count">How many epochs at most, ≥ 1.</param>
    /// <returns>1-based epoch numbers in ascending order; fewer than <paramref name="count"/> when fewer epochs ran.</returns>
    public static int[] SelectEpochs(IReadOnlyList<CurveRow> curves, int count)
    {
        ArgumentNullException.ThrowIfNull(curves);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        IEnumerable<CurveRow> chosen = curves.Any(r => double.IsNaN(r.ValMacroF1))
            ? curves.TakeLast(count)
            : curves.OrderByDescending(r => r.ValMacroF1).ThenBy(r => r.Epoch).Take(count);
        return [.. chosen.Select(r => r.Epoch).Order()];
    }

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
