using Microsoft.ML;
using SerMlNet.Audio;
using SerMlNet.Audio.Normalisation;
using SerMlNet.ML.Saving;
using SerMlNet.ML.Transforms;
using SerMlNet.Onnx;
using SerMlNet.Pipeline.Augmentation;
using SerMlNet.Pipeline.Features;

namespace SerMlNet.Training.MlNet;

/// <summary>
/// Saves a model trained through ML.NET (a fitted chain of the audio transforms and the <c>SerCnn</c> trainer's
/// transformer, e.g. from <see cref="JobPipelines.Fit"/> or composed by hand) the way <c>ser export</c> saves a run:
/// <c>model.onnx</c> (the network, with the labels and the fitted front end in its metadata, for Predict, <c>ser
/// serve</c>, <c>EmotionRecognizer</c> and any ONNX runtime) and <c>model.zip</c> (the saved ML.NET model,
/// <see cref="EmotionModelZip"/>). The front end is read from the chain by following the network's feature column back
/// through <c>NormalizeBands</c>, <c>FixedLength</c>, <c>LogMel</c>, <c>TrimSilence</c> (optional) to
/// <c>LoadAudio</c>. ML.NET's own transforms (e.g. <c>MapValueToKey</c>, <c>CopyColumns</c>) may sit anywhere in the
/// chain but are not part of the exported front end, and ML.NET does not say which columns a fitted transform writes:
/// keep the network's feature path to the audio stages (a foreign transform that rewrote one of its columns in place
/// would not be seen). Stateless; thread-safe.
/// </summary>
public static class EmotionModelExport
{
    /// <summary>The fitted front end of a chain: what its network's feature column is computed from.</summary>
    /// <param name="model">A fitted chain holding the audio transforms and a <see cref="SerCnnTransformer"/>.</param>
    /// <param name="augmentation">Training augmentations to record beside the stages (inert, as in a job's
    /// <c>pipeline.json</c>), or null.</param>
    /// <returns>The front end (<see cref="FittedFrontEnd"/>), equal to the job path's for the same job.</returns>
    /// <exception cref="SerCnnSaveException">The chain holds no network, or its feature column is not made by the audio
    /// transforms in the order above (a training-only augmentation in the chain, a missing stage, a foreign transform
    /// on the feature path).</exception>
    public static FittedFrontEnd FrontEndOf(ITransformer model, AugmentationOptions? augmentation = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        (List<ITransformer> stages, SerCnnTransformer network) = Split(model);
        return ReadFrontEnd(stages, network, augmentation);
    }

    /// <summary>Walks back from the network's input column through the stages before it; each stage is looked for
    /// before the one found last, since stages may write their column in place.</summary>
    private static FittedFrontEnd ReadFrontEnd(List<ITransformer> stages, SerCnnTransformer network, AugmentationOptions? augmentation)
    {
        int before = stages.Count;
        string column = network.Options.FeatureColumnName;
        BandNormalizingTransformer? bands = Find<BandNormalizingTransformer>(stages, column, ref before);
        FixedLengthTransformer fixedLength = Expect<FixedLengthTransformer>(stages, bands?.InputColumnName ?? column, ref before, "FixedLength");
        LogMelExtractingTransformer logMel = Expect<LogMelExtractingTransformer>(stages, fixedLength.InputColumnName, ref before, "LogMel");
        SilenceTrimmingTransformer? trim = Find<SilenceTrimmingTransformer>(stages, logMel.InputColumnName, ref before);
        AudioLoadingTransformer load = Expect<AudioLoadingTransformer>(stages, trim?.InputColumnName ?? logMel.InputColumnName, ref before, "LoadAudio");
        BandStatistics? statistics = bands?.Statistics;
        try
        {
            return new FittedFrontEnd(
                load.Options.SampleRate,
                trim?.Options,
                logMel.Options,
                fixedLength.Options,
                statistics is null ? null : NormalisationMode.Band,
                statistics,
                augmentation);
        }
        catch (Exception ex) when (ex is OptionsValidationException or ArgumentException)
        {
            throw new SerCnnSaveException($"the chain's audio stages do not make one front end: {ex.Message}");
        }
    }

    /// <summary>
    /// Writes <c>model.onnx</c> and, optionally, <c>model.zip</c> for a fitted chain, each atomically.
    /// </summary>
    /// <param name="model">A fitted chain holding the audio transforms and a <see cref="SerCnnTransformer"/> whose
    /// label had key values (the class names).</param>
    /// <param name="modelPath">Destination of the ONNX model, e.g. <c>artifacts/model.onnx</c>.</param>
    /// <param name="zipPath">Destination of the saved ML.NET model, e.g. <c>artifacts/model.zip</c>, or null to skip it.
    /// Needs a 16-kHz front end.</param>
    /// <param name="augmentation">Training augmentations recorded in the model's front-end metadata, or null.</param>
    /// <param name="description">The ONNX model's description; default names SerMlNet.</param>
    /// <exception cref="SerCnnSaveException">See <see cref="FrontEndOf"/>; or the label had no key values.</exception>
    /// <exception cref="InvalidModelException">The front end cannot be put in <c>model.zip</c> (not 16 kHz).</exception>
    public static void Save(ITransformer model, string modelPath, string? zipPath = null, AugmentationOptions? augmentation = null, string? description = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        ArgumentNullException.ThrowIfNull(model);
        (List<ITransformer> stages, SerCnnTransformer network) = Split(model);
        FittedFrontEnd frontEnd = ReadFrontEnd(stages, network, augmentation);
        IReadOnlyList<string> labels = network.LabelNames
            ?? throw new SerCnnSaveException($"the label column '{network.Options.LabelColumnName}' had no key values, so the model has no class names; make it with MapValueToKey");
        var options = new OnnxExportOptions
        {
            ClassLabels = labels,
            FrontEndJson = frontEnd.ToJson(),
            Description = description ?? "SerMlNet speech emotion recognition CNN, trained through ML.NET",
        };
        OnnxExporter.Export(network.DescribeNetworks(), options, modelPath);
        if (zipPath is not null)
        {
            EmotionModelZip.Save(modelPath, zipPath);
        }
    }

    private static (List<ITransformer> Stages, SerCnnTransformer Network) Split(ITransformer model)
    {
        List<ITransformer> all = [.. JobPipelines.Flatten(model)];
        int at = all.FindLastIndex(t => t is SerCnnTransformer);
        if (at < 0)
        {
            throw new SerCnnSaveException("the chain holds no SerCnn network (mlContext.MulticlassClassification.Trainers.SerCnn); nothing to export");
        }
        return (all.GetRange(0, at), (SerCnnTransformer)all[at]);
    }

    /// <summary>The last of our stages before index <paramref name="before"/> that writes <paramref name="column"/>, when it
    /// is a <typeparamref name="T"/>; <paramref name="before"/> then becomes its index. Null (and <paramref name="before"/>
    /// unchanged) when that stage is of another type or none writes the column.</summary>
    private static T? Find<T>(List<ITransformer> stages, string column, ref int before)
        where T : AudioTransformerBase
    {
        for (int i = before - 1; i >= 0; i--)
        {
            switch (stages[i])
            {
                case AugmentingTransformerBase augmenting when augmenting.OutputColumnName == column:
                    throw new SerCnnSaveException($"column '{column}' is made by a training-only augmentation ({augmenting.GetType().Name}); save the scoring chain without it (JobPipelines.Fit does)");
                case AudioTransformerBase ours when ours.OutputColumnName == column:
                    if (ours is not T found)
                    {
                        return null;
                    }
                    before = i;
                    return found;
                case AugmentationReplicatingTransformer:
                    throw new SerCnnSaveException("the chain repeats rows for augmentation (ReplicateForAugmentation), a training-only stage; save the scoring chain without it (JobPipelines.Fit does)");
            }
        }
        return null;
    }

    private static T Expect<T>(List<ITransformer> stages, string column, ref int before, string stage)
        where T : AudioTransformerBase =>
        Find<T>(stages, column, ref before)
            ?? throw new SerCnnSaveException($"column '{column}' on the network's feature path is not made by {stage}; the model.onnx front end is LoadAudio → TrimSilence (optional) → LogMel → FixedLength → NormalizeBands (optional)");
}
