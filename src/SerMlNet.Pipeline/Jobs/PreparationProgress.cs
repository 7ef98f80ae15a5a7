namespace SerMlNet.Pipeline.Jobs;

/// <summary>Progress of a long data step.</summary>
/// <param name="Step">What is being done, e.g. <c>features</c>.</param>
/// <param name="Done">Items finished.</param>
/// <param name="Total">Items in all.</param>
public readonly record struct PreparationProgress(string Step, int Done, int Total);
