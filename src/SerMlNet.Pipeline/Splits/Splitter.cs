using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Randomness;

namespace SerMlNet.Pipeline.Splits;

/// <summary>Makes seeded, reproducible splits of a catalog.</summary>
public static class Splitter
{
    /// <summary>
    /// The classic protocol: within each label the clips are shuffled and cut into train / validation / test by the
    /// given fractions (per label: train = round(n·train), validation = round(n·validation), test = the rest), so every
    /// part has the label proportions of the whole. Speakers appear in several parts.
    /// </summary>
    /// <param name="catalog">The dataset.</param>
    /// <param name="trainFraction">Fraction for training, default 0.8.</param>
    /// <param name="validationFraction">Fraction for validation, default 0.1 (test gets the rest).</param>
    /// <param name="seed">Shuffle seed.</param>
    /// <returns>The split, named <c>stratified</c>.</returns>
    public static DatasetSplit Stratified(DatasetCatalog catalog, double trainFraction = 0.8, double validationFraction = 0.1, long seed = 42)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (trainFraction <= 0 || validationFraction < 0 || trainFraction + validationFraction >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(trainFraction), $"fractions must satisfy 0 < train, 0 <= validation, train + validation < 1 (got {trainFraction}, {validationFraction})");
        }
        var assignment = new Dictionary<string, SplitPart>(StringComparer.Ordinal);
        foreach (string label in catalog.Labels)
        {
            var ids = catalog.Clips.Where(c => c.Label == label).Select(c => c.Id).ToList();
            SeededRandom.Derive(seed, label, 0).Shuffle(ids);
            int train = (int)Math.Round(ids.Count * trainFraction, MidpointRounding.AwayFromZero);
            int validation = (int)Math.Round(ids.Count * validationFraction, MidpointRounding.AwayFromZero);
            for (int i = 0; i < ids.Count; i++)
            {
                assignment[ids[i]] = i < train ? SplitPart.Train : i < train + validation ? SplitPart.Validation : SplitPart.Test;
            }
        }
        return new DatasetSplit("stratified", assignment, [], []);
    }

    /// <summary>
    /// k-fold cross-validation by speaker: speakers are dealt into <paramref name="folds"/> groups, each gender
    /// separately, so every group holds as even a gender mix as the data allows. Fold i tests on group i; its
    /// validation part is <paramref name="validationSpeakers"/> further speakers (alternating genders) drawn from the
    /// rest; the remaining speakers train. No speaker appears in two parts of a fold.
    /// </summary>
    /// <param name="catalog">The dataset; every clip needs a speaker.</param>
    /// <param name="folds">Number of folds, at least 2 (default 5).</param>
    /// <param name="validationSpeakers">Speakers per fold held out for validation (default 2).</param>
    /// <param name="seed">Dealing seed.</param>
    /// <returns>The folds, named <c>fold1</c> … <c>foldK</c>.</returns>
    /// <exception cref="DatasetException">Clips without a speaker, or too few speakers for the folds.</exception>
    public static IReadOnlyList<DatasetSplit> SpeakerFolds(DatasetCatalog catalog, int folds = 5, int validationSpeakers = 2, long seed = 42)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(validationSpeakers);
        Clip? anonymous = catalog.Clips.FirstOrDefault(c => c.Speaker is null);
        if (anonymous is not null)
        {
            throw new DatasetException($"speaker folds need a speaker for every clip; '{anonymous.Id}' has none (add a speaker column to the manifest)");
        }
        var genderOf = new Dictionary<string, Gender?>(StringComparer.Ordinal);
        foreach (Clip clip in catalog.Clips)
        {
            genderOf.TryAdd(clip.Speaker!, clip.Gender);
        }
        int needed = folds + validationSpeakers + 1;
        if (genderOf.Count < needed)
        {
            throw new DatasetException($"{folds} speaker folds with {validationSpeakers} validation speakers need at least {needed} speakers; the dataset has {genderOf.Count}");
        }

        // Deal each gender group (male, female, unknown) round-robin, continuing where the previous group stopped.
        var groups = new List<string>[folds];
        for (int f = 0; f < folds; f++)
        {
            groups[f] = [];
        }
        int next = 0;
        foreach (Gender? gender in (Gender?[])[Gender.Male, Gender.Female, null])
        {
            var speakers = genderOf.Where(kv => kv.Value == gender).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
            SeededRandom.Derive(seed, $"speakers-{gender}", 0).Shuffle(speakers);
            foreach (string speaker in speakers)
            {
                groups[next++ % folds].Add(speaker);
            }
        }

        var result = new List<DatasetSplit>(folds);
        for (int f = 0; f < folds; f++)
        {
            var test = groups[f].Order(StringComparer.Ordinal).ToList();
            var validation = PickBalanced(genderOf, genderOf.Keys.Where(s => !test.Contains(s)), validationSpeakers, SeededRandom.Derive(seed, "validation", f));
            var assignment = new Dictionary<string, SplitPart>(StringComparer.Ordinal);
            foreach (Clip clip in catalog.Clips)
            {
                assignment[clip.Id] = test.Contains(clip.Speaker!) ? SplitPart.Test
                    : validation.Contains(clip.Speaker!) ? SplitPart.Validation
                    : SplitPart.Train;
            }
            result.Add(new DatasetSplit($"fold{f + 1}", assignment, test, validation));
        }
        return result;
    }

    private static List<string> PickBalanced(Dictionary<string, Gender?> genderOf, IEnumerable<string> candidates, int count, SeededRandom random)
    {
        var byGender = candidates.GroupBy(s => genderOf[s])
            .OrderBy(g => g.Key.HasValue ? (int)g.Key.Value : int.MaxValue)
            .Select(g =>
            {
                var list = g.Order(StringComparer.Ordinal).ToList();
                random.Shuffle(list);
                return new Queue<string>(list);
            })
            .ToList();
        var picked = new List<string>(count);
        for (int i = 0; picked.Count < count; i++)
        {
            Queue<string> queue = byGender[i % byGender.Count];
            if (queue.Count > 0)
            {
                picked.Add(queue.Dequeue());
            }
        }
        picked.Sort(StringComparer.Ordinal);
        return picked;
    }
}
