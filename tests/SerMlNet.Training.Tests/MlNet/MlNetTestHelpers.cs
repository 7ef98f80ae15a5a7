using System.Reflection;
using Microsoft.ML;
using SerMlNet.Training.Runs;

namespace SerMlNet.Training.Tests.MlNet;

/// <summary>What the ML.NET tests of this project share.</summary>
internal static class MlNetTestHelpers
{
    /// <summary>ML.NET builds a <see cref="SchemaShape"/> from a schema only internally (<c>SchemaShape.Create</c>);
    /// its own tests reach it as a friend assembly, these by reflection.</summary>
    public static SchemaShape ShapeOf(DataViewSchema schema) =>
        (SchemaShape)typeof(SchemaShape).GetMethod("Create", BindingFlags.NonPublic | BindingFlags.Static)!.Invoke(null, [schema])!;
}

/// <summary>Progress reported on the reporting thread (<see cref="Progress{T}"/> posts to the thread pool).</summary>
internal sealed class SyncProgress(Action<TrainingProgress> action) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => action(value);
}
