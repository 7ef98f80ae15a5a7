using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Splits;

namespace SerMlNet.Pipeline.Jobs;

/// <summary>How a job splits its dataset, and which split it trains on.</summary>
public sealed class DataOptions
{
    /// <summary>The split to train and report on: <c>stratified</c> (default) or <c>fold1</c> … <c>foldK</c>.</summary>
    public string Split { get; init; } = "stratified";

    /// <summary>Stratified split: fraction of each class for training; default 0.8.</summary>
    public double TrainFraction { get; init; } = 0.8;

    /// <summary>Stratified split: fraction of each class for validation; default 0.1 (test gets the rest).</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Number of speaker-held-out folds; default 5.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>Speakers held out for validation in each fold (balanced by gender); default 2.</summary>
    public int ValidationSpeakers { get; init; } = 2;

    /// <summary>Seed of every split; default 42.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Checks every field.</summary>
    /// <returns>The problems, each naming its field; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(TrainFraction > 0 && ValidationFraction >= 0 && TrainFraction + ValidationFraction < 1))
        {
            errors.Add($"trainFraction/validationFraction must satisfy 0 < trainFraction, 0 <= validationFraction, sum < 1 (were {TrainFraction}, {ValidationFraction})");
        }
        if (Folds is < 2 or > 50)
        {
            errors.Add($"folds must be in [2, 50] (was {Folds})");
        }
        if (ValidationSpeakers is < 0 or > 50)
        {
            errors.Add($"validationSpeakers must be in [0, 50] (was {ValidationSpeakers})");
        }
        bool foldName = Split.StartsWith("fold", StringComparison.Ordinal) && int.TryParse(Split.AsSpan(4), out int fold) && fold >= 1 && fold <= Folds;
        if (Split != "stratified" && !foldName)
        {
            errors.Add($"split must be 'stratified' or 'fold1'..'fold{Folds}' (was '{Split}')");
        }
        return errors;
    }

    /// <summary>
    /// The stratified split and, when every clip has a speaker and there are enough speakers
    /// (<see cref="Folds"/> + <see cref="ValidationSpeakers"/> + 1), the speaker folds.
    /// </summary>
    /// <param name="catalog">The dataset.</param>
    /// <returns>The split set.</returns>
    public SplitSet MakeSplits(DatasetCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var splits = new List<DatasetSplit> { Splitter.Stratified(catalog, TrainFraction, ValidationFraction, Seed) };
        int speakers = catalog.Clips.Select(c => c.Speaker).Distinct().Count();
        if (catalog.Clips.All(c => c.Speaker is not null) && speakers >= Folds + ValidationSpeakers + 1)
        {
            splits.AddRange(Splitter.SpeakerFolds(catalog, Folds, ValidationSpeakers, Seed));
        }
        return new SplitSet(Seed, splits);
    }
}
