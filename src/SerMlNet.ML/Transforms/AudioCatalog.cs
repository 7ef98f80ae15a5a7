using Microsoft.ML;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Spectral;
using SerMlNet.Audio.Trimming;
using SerMlNet.Pipeline.Augmentation;

namespace SerMlNet.ML.Transforms;

/// <summary>
/// The audio front end as ML.NET transforms on <see cref="IDataView"/> columns, reached from <c>mlContext.Transforms</c>
/// the way <c>Microsoft.ML.ImageAnalytics</c> adds its image transforms, and chained with ML.NET's own through
/// <c>Append</c>:
/// <code>
/// var pipeline = mlContext.Transforms.LoadAudio("Audio", "Path")
///     .Append(mlContext.Transforms.TrimSilence("Audio"))
///     .Append(mlContext.Transforms.LogMel("LogMel", "Audio"))
///     .Append(mlContext.Transforms.FixedLength("LogMel"))
///     .Append(mlContext.Transforms.NormalizeBands("Features", "LogMel"))
///     .Append(mlContext.Transforms.Conversion.MapValueToKey("Label", "Emotion"));
/// </code>
/// Every transform reports its output schema before data flows and computes its column lazily, row by row, inside the
/// cursors of the view it returns: a cursor holds one row of audio per stage, whatever the number of clips. A cursor
/// set (<c>GetRowCursorSet</c>) over a source that does not split itself is split into shards, so the rows are computed
/// on as many threads as cursors. The training-only augmentations (<see cref="ReplicateForAugmentation"/>,
/// <see cref="AugmentAudio"/>, <see cref="SpecAugment"/>) belong in the training pipeline only. The transformers cannot
/// be saved with <c>mlContext.Model.Save</c> (ML.NET's <c>ModelSaveContext</c> is internal): the saved model of this
/// project is the exported <c>model.zip</c>. Defaults are the options types' (<c>pipelines/ravdess-cnn.json</c>'s front end;
/// its augmentation uses speed perturbation in place of the default time stretch: pass the job's options to match it).
/// </summary>
public static class AudioCatalog
{
    /// <summary>Decodes the WAV file named in a text column and resamples it (<see cref="AudioLoadingTransformer"/>).</summary>
    /// <param name="catalog">The transform catalog.</param>
    /// <param name="outputColumnName">The audio column to add: a variable-length float vector of mono samples, annotated with its sample rate.</param>
    /// <param name="inputColumnName">The text column of WAV file paths (any rate, mono or stereo); default <c>Path</c>.</param>
    /// <param name="sampleRate">Output rate in Hz, in [1000, 384000]; default 16000.</param>
    /// <returns>The estimator.</returns>
    public static AudioLoadingEstimator LoadAudio(this TransformsCatalog catalog, string outputColumnName, string inputColumnName = "Path", int sampleRate = 16000)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new AudioLoadingEstimator(outputColumnName, inputColumnName, new AudioLoadingOptions { SampleRate = sampleRate });
    }

    /// <summary>Cuts leading and trailing silence (<see cref="SilenceTrimmingTransformer"/>).</summary>
    /// <param name="catalog">The transform catalog.</param>
    /// <param name="outputColumnName">The trimmed audio column to add.</param>
    /// <param name="inputColumnName">The audio column; default <paramref name="outputColumnName"/>.</param>
    /// <param name="options">Trimming options; default <see cref="TrimOptions"/>' defaults (60 dB, frames of 2048 samples, hop 512).</param>
    /// <returns>The estimator.</returns>
    public static SilenceTrimmingEstimator TrimSilence(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null, TrimOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SilenceTrimmingEstimator(outputColumnName, inputColumnName ?? outputColumnName, options ?? new TrimOptions());
    }

    /// <summary>Log-Mel spectrogram in dB (<see cref="LogMelExtractingTransformer"/>).</summary>
    /// <param name="catalog">The transform catalog.</param>
    /// <param name="outputColumnName">The log-Mel column to add: row-major [NMels, frames], variable length.</param>
    /// <param name="inputColumnName">The audio column; default <paramref name="outputColumnName"/>.</param>
    /// <param name="options">Front-end options; default <see cref="LogMelOptions"/>' defaults (16 kHz, NFft 1024, hop 160, 128 Mel bands, 80 dB).</param>
    /// <returns>The estimator.</returns>
    public static LogMelExtractingEstimator LogMel(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null, LogMelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new LogMelExtractingEstimator(outputColumnName, inputColumnName ?? outputColumnName, options ?? new LogMelOptions());
    }

    /// <summary>Pads or crops log-Mel features to a fixed number of frames (<see cref="FixedLengthTransformer"/>).</summary>
    /// <param name="catalog">The transform catalog.</param>
    /// <param name="outputColumnName">The feature column to add: a known-size vector [bands, frames].</param>
    /// <param name="inputColumnName">The log-Mel column; default <paramref name="outputColumnName"/>.</param>
    /// <param name="options">Options; default 300 frames, crops keep the start.</param>
    /// <returns>The estimator.</returns>
    public static FixedLengthEstimator FixedLength(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null, FixedLengthOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new FixedLengthEstimator(outputColumnName, inputColumnName ?? outputColumnName, options ?? new FixedLengthOptions());
    }

    /// <summary>Per-band standardisation, fitted on the data the pipeline is fitted on (<see cref="BandNormalizingEstimator"/>).</summary>
    /// <param name="catalog">The transform catalog.</param>
    /// <param name="outputColumnName">The normalised column to add.</param>
    /// <param name="inputColumnName">The feature column, row-major [bands, frames]; default <paramref name="outputColumnName"/>.</param>
    /// <param name="drawColumnName">In a training pipeline with <see cref="ReplicateForAugmentation"/>: its draw column, so that only the originals (draw 0) are fitted on, as the job pipeline does; default null (fit on every row).</param>
    /// <returns>The estimator.</returns>
    public static BandNormalizingEstimator NormalizeBands(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null, string? drawColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new BandNormalizingEstimator(outputColumnName, inputColumnName ?? outputColumnName, drawColumnName);
    }

    /// <summary>Training only: repeats each row for the offline augmentation draws (<see cref="AugmentationReplicatingTransformer"/>).</summary>
    /// <param name="catalog">The transform catalog.</param>
    /// <param name="drawColumnName">The Int32 draw column to add (0 = original); default <c>Draw</c>.</param>
    /// <param name="copies">Augmented copies per row besides the original, in [0, 100]; default 3.</param>
    /// <returns>The estimator.</returns>
    public static AugmentationReplicatingEstimator ReplicateForAugmentation(this TransformsCatalog catalog, string drawColumnName = "Draw", int copies = 3)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new AugmentationReplicatingEstimator(drawColumnName, copies);
    }

    /// <summary>
    /// Training only: the waveform augmentations (time stretch, pitch shift, time shift, gain, noise; each disabled by a
    /// null option), seeded per (seed, clip, draw); draw 0 is untouched (<see cref="AudioAugmentingTransformer"/>).
    /// </summary>
    /// <param name="catalog">The transform catalog.</param>
    /// <param name="outputColumnName">The augmented audio column to add.</param>
    /// <param name="inputColumnName">The audio column; default <paramref name="outputColumnName"/>.</param>
    /// <param name="clipIdColumnName">The text column of clip ids; default <c>ClipId</c>.</param>
    /// <param name="drawColumnName">The Int32 draw column; default <c>Draw</c>.</param>
    /// <param name="options">Options; default <see cref="AugmentationOptions"/>' defaults (seed 1234, all five at probability 0.5).</param>
    /// <returns>The estimator.</returns>
    public static AudioAugmentingEstimator AugmentAudio(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null, string clipIdColumnName = "ClipId", string drawColumnName = "Draw", AugmentationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new AudioAugmentingEstimator(outputColumnName, inputColumnName ?? outputColumnName, clipIdColumnName, drawColumnName, options ?? new AugmentationOptions());
    }

    /// <summary>Training only: SpecAugment frequency and time masks for one epoch (<see cref="SpecAugmentingTransformer"/>).</summary>
    /// <param name="catalog">The transform catalog.</param>
    /// <param name="outputColumnName">The masked feature column to add.</param>
    /// <param name="inputColumnName">A known-size feature column [bands, frames]; default <paramref name="outputColumnName"/>.</param>
    /// <param name="clipIdColumnName">The text column of clip ids; default <c>ClipId</c>.</param>
    /// <param name="drawColumnName">The Int32 draw column; default <c>Draw</c>.</param>
    /// <param name="options">Options; default <see cref="SpecAugmentOptions"/>' defaults (probability 0.8, 2 masks of up to 15 bands, 2 of up to 30 frames).</param>
    /// <param name="seed">The augmentation seed; default 1234.</param>
    /// <param name="epoch">The epoch the masks are drawn for (0-based); default 0.</param>
    /// <returns>The estimator.</returns>
    public static SpecAugmentingEstimator SpecAugment(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null, string clipIdColumnName = "ClipId", string drawColumnName = "Draw", SpecAugmentOptions? options = null, long seed = 1234, int epoch = 0)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SpecAugmentingEstimator(outputColumnName, inputColumnName ?? outputColumnName, clipIdColumnName, drawColumnName, options ?? new SpecAugmentOptions(), seed, epoch);
    }
}
