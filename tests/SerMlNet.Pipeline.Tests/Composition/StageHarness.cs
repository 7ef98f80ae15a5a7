using System.Text.Json.Nodes;
using SerMlNet.Pipeline.Composition;

namespace SerMlNet.Pipeline.Tests.Composition;

/// <summary>
/// Exercises every stage the same way (ML.NET's TestEstimatorCore): the declared output schema matches what
/// Transform produces, wrong input kinds throw, and a save/load round-trip through the registry gives the same JSON
/// and the same outputs, plain and for a fixed augmentation draw.
/// </summary>
internal static class StageHarness
{
    public static ITransformer Check(ITransformer stage, SampleSchema inputSchema, IReadOnlyList<Sample> inputs, Sample wrongKind) =>
        Check(new EstimatorChain().Append(stage), inputSchema, inputs, wrongKind);

    public static ITransformer Check(IEstimator<ITransformer> estimator, SampleSchema inputSchema, IReadOnlyList<Sample> inputs, Sample wrongKind)
    {
        SampleSchema declared = estimator.GetOutputSchema(inputSchema);
        ITransformer fitted = estimator.Fit(inputs);
        if (fitted is TransformerChain { Count: 1 } single)
        {
            fitted = single[0];
        }
        Assert.Equal(declared, fitted.GetOutputSchema(inputSchema));

        foreach (Sample input in inputs)
        {
            Sample output = fitted.Transform(input, TransformContext.Plain);
            AssertMatches(declared, output);
            Sample augmented = fitted.Transform(input, TransformContext.ForDraw(5, "clip", 1));
            AssertMatches(declared with { Columns = declared.Columns }, augmented);
        }

        SampleSchema wrongSchema = new(wrongKind.Kind, inputSchema.SampleRate);
        Assert.ThrowsAny<Exception>(() => fitted.GetOutputSchema(wrongSchema));
        Assert.Throws<SchemaMismatchException>(() => fitted.Transform(wrongKind, TransformContext.Plain));

        JsonObject saved = new TransformerChain([fitted]).Save();
        TransformerChain loaded = TransformerChain.FromJson(saved.ToJsonString());
        Assert.Single(loaded);
        Assert.Equal(fitted.StageType, loaded[0].StageType);
        Assert.Equal(saved.ToJsonString(), loaded.Save().ToJsonString());
        foreach (Sample input in inputs)
        {
            AssertSame(fitted.Transform(input, TransformContext.Plain), loaded[0].Transform(input, TransformContext.Plain));
            AssertSame(fitted.Transform(input, TransformContext.ForDraw(9, "clip", 3)), loaded[0].Transform(input, TransformContext.ForDraw(9, "clip", 3)));
        }
        return fitted;
    }

    public static void AssertMatches(SampleSchema schema, Sample sample)
    {
        Assert.Equal(schema.Kind, sample.Kind);
        if (schema.SampleRate is int rate && sample.Audio is not null)
        {
            Assert.Equal(rate, sample.Audio.SampleRate);
        }
        if (sample.Features is not null)
        {
            if (schema.Rows is int rows)
            {
                Assert.Equal(rows, sample.Features.Rows);
            }
            if (schema.Columns is int columns)
            {
                Assert.Equal(columns, sample.Features.Columns);
            }
        }
    }

    public static void AssertSame(Sample expected, Sample actual)
    {
        Assert.Equal(expected.Kind, actual.Kind);
        if (expected.Audio is not null)
        {
            Assert.Equal(expected.Audio.SampleRate, actual.Audio!.SampleRate);
            Assert.Equal(expected.Audio.Samples, actual.Audio.Samples);
        }
        if (expected.Features is not null)
        {
            Assert.Equal(expected.Features.Rows, actual.Features!.Rows);
            Assert.Equal(expected.Features.Data, actual.Features.Data);
        }
    }
}
