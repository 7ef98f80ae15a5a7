using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Spectral;
using SerMlNet.Onnx.Recognition;
using SerMlNet.Pipeline.Composition;
using SerMlNet.Pipeline.Stages;

namespace SerMlNet.Onnx;

/// <summary>
/// Derives the <see cref="FrontEndDescription"/> that <see cref="OnnxExporter.ExportEndToEnd"/> builds into
/// <c>model-e2e.onnx</c> from a fitted pipeline, so the graph computes what the pipeline computes from its
/// <c>logMel</c> stage on. Stateless and thread-safe.
/// </summary>
public static class FrontEndDescriptionFactory
{
    /// <summary>
    /// Describes the part of <paramref name="chain"/> from its <c>trim</c> stage (when it has one) to its end: the trim
    /// options, the log-Mel options and
    /// the Mel filterbank (<see cref="MelFilterbank.Get"/>, the same matrix the C# front end applies), the
    /// <c>fixedLength</c> frames and crop alignment, and the <c>normalise</c> stage (fitted band statistics as
    /// <see cref="FeatureNormalisation.PerBand"/>, per-utterance as <see cref="FeatureNormalisation.Utterance"/>, none when
    /// absent), with the epsilon both normalisations add (1e-8).
    /// <para>The stages before <c>trim</c> (decoding, resampling to <see cref="FrontEndDescription.SampleRate"/>) are not
    /// in the graph: feed <c>model-e2e.onnx</c> the untrimmed audio they produce. Augmentation stages are ignored: they
    /// are inert at inference.</para>
    /// </summary>
    /// <param name="chain">
    /// A fitted chain whose stages from <c>logMel</c> on are <c>logMel</c>, <c>fixedLength</c>, optionally
    /// <c>normalise</c>, in that order, with augmentation stages anywhere, and at most one <c>trim</c> stage before
    /// <c>logMel</c> with only augmentation stages between them (e.g. <c>FrontEndOptions.BuildChain</c> fitted).
    /// </param>
    /// <returns>The validated description; its arrays are new (not shared with the chain); its immutable trim options are the chain's.</returns>
    /// <exception cref="OnnxValidationException">The chain lacks a stage, has them in another order, or has a stage the
    /// graph cannot compute (every problem listed).</exception>
    public static FrontEndDescription FromPipeline(TransformerChain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var errors = new ValidationErrors("pipeline for the end-to-end front end");
        if (!ChainLayout.TryAnalyse(chain, out ChainLayout? layout, out string? problem))
        {
            errors.Add(problem!);
            errors.ThrowIfAny();
        }
        TrimStage? trim = null;
        for (int i = 0; i < layout!.LogMelIndex; i++)
        {
            ITransformer stage = layout.Chain[i];
            if (stage is TrimStage t)
            {
                if (trim is not null)
                {
                    errors.Add($"stage {i} is a second '{TrimStage.TypeName}' stage; the graph trims once");
                }
                trim = t;
            }
            else if (trim is not null && (stage.Traits & StageTraits.Augmentation) == 0)
            {
                errors.Add($"stage {i} '{stage.StageType}' between '{TrimStage.TypeName}' and '{LogMelStage.TypeName}' has no in-graph equivalent");
            }
        }
        NormaliseTransformer? normalise = null;
        for (int i = layout!.LogMelIndex + 1; i < chain.Count; i++)
        {
            ITransformer stage = chain[i];
            if ((stage.Traits & StageTraits.Augmentation) != 0 || i == layout.FixedLengthIndex)
            {
                continue;
            }
            if (stage is NormaliseTransformer n && i > layout.FixedLengthIndex && normalise is null)
            {
                normalise = n;
                continue;
            }
            errors.Add(stage is NormaliseTransformer
                ? $"stage {i} '{stage.StageType}' must come once, after '{FixedLengthStage.TypeName}' (the graph pads or crops, then normalises)"
                : $"stage {i} '{stage.StageType}' after '{LogMelStage.TypeName}' has no in-graph equivalent (supported: {FixedLengthStage.TypeName}, {NormaliseTransformer.TypeName}, augmentation stages)");
        }
        errors.ThrowIfAny();

        LogMelOptions logMel = layout.LogMel.Options;
        FixedLengthOptions fixedLength = layout.FixedLength.Options;
        FeatureNormalisation normalisation = normalise is null ? FeatureNormalisation.None
            : normalise.Mode == NormalisationMode.Band ? FeatureNormalisation.PerBand
            : FeatureNormalisation.Utterance;
        var description = new FrontEndDescription
        {
            SampleRate = logMel.SampleRate,
            Trim = trim?.Options, // immutable: shared with the chain
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
            BandMean = normalisation == FeatureNormalisation.PerBand ? ToFloat(normalise!.Statistics!.Mean) : null,
            BandStd = normalisation == FeatureNormalisation.PerBand ? ToFloat(normalise!.Statistics!.Std) : null,
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
