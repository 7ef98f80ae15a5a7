using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Spectral;
using SerMlNet.Pipeline.Features;

namespace SerMlNet.Onnx;

/// <summary>
/// Derives the <see cref="FrontEndDescription"/> that <see cref="OnnxExporter.ExportEndToEnd(CnnDescription, FrontEndDescription, OnnxExportOptions, string)"/> builds into
/// <c>model-e2e.onnx</c> from a fitted front end, so the graph computes what the front end computes from trimming on.
/// Stateless and thread-safe.
/// </summary>
public static class FrontEndDescriptionFactory
{
    /// <summary>
    /// Describes <paramref name="frontEnd"/> from trimming (when it trims) to its end: the trim options, the log-Mel
    /// options and the Mel filterbank (<see cref="MelFilterbank.Get"/>, the same matrix the C# front end applies), the
    /// fixed-length frames and crop alignment, and the normalisation (fitted band statistics as
    /// <see cref="FeatureNormalisation.PerBand"/>, per-utterance as <see cref="FeatureNormalisation.Utterance"/>, none when
    /// absent), with the epsilon both normalisations add (1e-8).
    /// <para>Decoding and resampling to <see cref="FrontEndDescription.SampleRate"/> are not in the graph: feed
    /// <c>model-e2e.onnx</c> the untrimmed audio they produce. The saved augmentations are ignored: they are inert at
    /// inference.</para>
    /// </summary>
    /// <param name="frontEnd">A fitted front end (e.g. <c>PreparedDataset.Pipeline</c>, or one read from a model's metadata).</param>
    /// <returns>The validated description; its arrays are new (not shared with the front end); its immutable trim options are the front end's.</returns>
    /// <exception cref="OnnxValidationException">The graph cannot compute the front end (every problem listed).</exception>
    public static FrontEndDescription FromPipeline(FittedFrontEnd frontEnd)
    {
        ArgumentNullException.ThrowIfNull(frontEnd);
        LogMelOptions logMel = frontEnd.LogMel;
        FixedLengthOptions fixedLength = frontEnd.FixedLength;
        FeatureNormalisation normalisation = frontEnd.Normalization switch
        {
            null => FeatureNormalisation.None,
            NormalisationMode.Band => FeatureNormalisation.PerBand,
            _ => FeatureNormalisation.Utterance,
        };
        var description = new FrontEndDescription
        {
            SampleRate = logMel.SampleRate,
            Trim = frontEnd.Trim, // immutable: shared with the front end
            NFft = logMel.NFft,
            HopLength = logMel.HopLength,
            WinLength = logMel.WinLength,
            PadMode = logMel.PadMode,
            Power = logMel.Power,
            NMels = logMel.NMels,
            MelFilterbank = MelFilterbank.Get(logMel.ToMelOptions()).ToMatrix().Data,
            TopDb = logMel.TopDb,
            Amin = logMel.Amin,
            Frames = fixedLength.Frames,
            CropAlignment = fixedLength.Alignment,
            Normalisation = normalisation,
            // BandStatistics.Epsilon and ZScore.Epsilon are both 1e-8.
            NormalisationEpsilon = (float)(normalisation == FeatureNormalisation.PerBand ? BandStatistics.Epsilon : ZScore.Epsilon),
            BandMean = normalisation == FeatureNormalisation.PerBand ? ToFloat(frontEnd.Statistics!.Mean) : null,
            BandStd = normalisation == FeatureNormalisation.PerBand ? ToFloat(frontEnd.Statistics!.Std) : null,
        };
        description.Validate();
        return description;
    }

    private static float[] ToFloat(IReadOnlyList<double> values)
    {
        var result = new float[values.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = (float)values[i];
        }
        return result;
    }
}
