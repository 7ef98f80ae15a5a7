namespace SerMlNet.Training.Runs;

/// <summary>Tags a seed-ensemble member's progress reports with its place in the ensemble (<see cref="TrainingProgress.Member"/>,
/// <see cref="TrainingProgress.Members"/>); used by the job runner and the ML.NET trainer.</summary>
internal sealed class MemberProgress(IProgress<TrainingProgress> inner, int member, int members) : IProgress<TrainingProgress>
{
    /// <summary>The progress sink for member <paramref name="member"/> of <paramref name="members"/>: the caller's own
    /// when there is one network or no sink.</summary>
    public static IProgress<TrainingProgress>? For(IProgress<TrainingProgress>? progress, int member, int members) =>
        progress is null || members == 1 ? progress : new MemberProgress(progress, member, members);

    public void Report(TrainingProgress value) => inner.Report(value with { Member = member, Members = members });
}
