using System.Text.Json.Nodes;

namespace SerMlNet.Pipeline.Composition;

/// <summary>
/// A fitted pipeline stage: maps one sample to the next, says its output shape before data flows, and saves its
/// options and fitted state to JSON. Implement this (and register a loader with <see cref="StageRegistry"/>) to add
/// a stage of your own. Transformers must be thread-safe: one instance serves many samples in parallel.
/// </summary>
public interface ITransformer
{
    /// <summary>The stage's registry name, written as <c>type</c> in the pipeline JSON (e.g. <c>logMel</c>).</summary>
    string StageType { get; }

    /// <summary>Where the stage may run and whether its output may be cached.</summary>
    StageTraits Traits => StageTraits.None;

    /// <summary>The schema of this stage's output for a given input schema.</summary>
    /// <param name="input">The input schema.</param>
    /// <returns>The output schema.</returns>
    /// <exception cref="SchemaMismatchException">The stage cannot accept <paramref name="input"/>.</exception>
    SampleSchema GetOutputSchema(SampleSchema input);

    /// <summary>Transforms one sample.</summary>
    /// <param name="input">The sample.</param>
    /// <param name="context">Plain or augmenting context.</param>
    /// <returns>A new sample (or <paramref name="input"/> itself when nothing changes).</returns>
    Sample Transform(Sample input, TransformContext context);

    /// <summary>The stage's options and fitted state, without the <c>type</c> field.</summary>
    /// <returns>A new JSON object.</returns>
    JsonObject Save();
}
