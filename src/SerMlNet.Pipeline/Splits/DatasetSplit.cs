using SerMlNet.Pipeline.Datasets;

namespace SerMlNet.Pipeline.Splits;

/// <summary>
/// One assignment of clips to train / validation / test. Immutable and thread-safe.
/// </summary>
public sealed class DatasetSplit
{
    /// <summary>Creates a split.</summary>
    /// <param name="name">E.g. <c>stratified</c> or <c>fold3</c>.</param>
    /// <param name="assignment">Part of every clip id in the split.</param>
    /// <param name="testSpeakers">Speakers held out for test (actor folds), empty for a stratified split.</param>
    /// <param name="validationSpeakers">Speakers held out for validation (actor folds), empty otherwise.</param>
    public DatasetSplit(string name, IReadOnlyDictionary<string, SplitPart> assignment, IReadOnlyList<string> testSpeakers, IReadOnlyList<string> validationSpeakers)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(assignment);
        Name = name;
        Assignment = assignment;
        TestSpeakers = testSpeakers;
        ValidationSpeakers = validationSpeakers;
    }

    /// <summary>Name of the split.</summary>
    public string Name { get; }

    /// <summary>Part of each clip id.</summary>
    public IReadOnlyDictionary<string, SplitPart> Assignment { get; }

    /// <summary>Speakers whose clips are all in the test part (actor-held-out folds).</summary>
    public IReadOnlyList<string> TestSpeakers { get; }

    /// <summary>Speakers whose clips are all in the validation part (actor-held-out folds).</summary>
    public IReadOnlyList<string> ValidationSpeakers { get; }

    /// <summary>The clips of one part, in catalog order.</summary>
    /// <param name="catalog">The catalog the split was made from.</param>
    /// <param name="part">The part.</param>
    /// <returns>The clips.</returns>
    /// <exception cref="DatasetException">A clip of the split is not in the catalog (the split belongs to another dataset).</exception>
    public IReadOnlyList<Clip> Select(DatasetCatalog catalog, SplitPart part)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var clips = new List<Clip>();
        foreach (Clip clip in catalog.Clips)
        {
            if (Assignment.TryGetValue(clip.Id, out SplitPart p) && p == part)
            {
                clips.Add(clip);
            }
        }
        int expected = Assignment.Values.Count(p => p == part);
        if (clips.Count != expected)
        {
            throw new DatasetException($"split '{Name}' lists {expected} {part} clips but only {clips.Count} are in the dataset at '{catalog.Root}'");
        }
        return clips;
    }

    /// <summary>Number of clips in a part.</summary>
    /// <param name="part">The part.</param>
    /// <returns>The count.</returns>
    public int Count(SplitPart part) => Assignment.Values.Count(p => p == part);
}
