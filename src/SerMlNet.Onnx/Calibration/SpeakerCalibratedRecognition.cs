using SerMlNet.Onnx.Inference;
using SerMlNet.Onnx.Recognition;

namespace SerMlNet.Onnx.Calibration;

/// <summary>
/// Transductive per-speaker scoring: every speaker's clips scored plainly, a <see cref="SpeakerCalibration"/> fitted on
/// those results (their labels are never read), and the clips scored again by a recognizer opened with it. What a user gets after calibrating on a few
/// unlabelled recordings of their voice, measured on a labelled set; report it apart from the plain figure, since
/// every test clip also served as calibration audio. Stateless; thread-safe.
/// </summary>
public static class SpeakerCalibratedRecognition
{
    /// <summary>Fits each speaker's calibration on that speaker's clips and scores them with it.</summary>
    /// <param name="modelPath">A SerMlNet model (<c>model.onnx</c> or <c>model-e2e.onnx</c>).</param>
    /// <param name="options">Session set-up; null for the defaults (CPU).</param>
    /// <param name="clips">WAV paths with their speaker; every speaker needs at least one clip.</param>
    /// <param name="progress">Receives (clips scored, clips in all) after each speaker; may be null.</param>
    /// <param name="recognition">How whole inputs are scored (test-time augmentation), for fitting and scoring alike; null for the defaults.</param>
    /// <returns>One result per clip, in the order given, and one calibration per speaker (ordinal order of names).</returns>
    /// <exception cref="ArgumentException">A clip has no speaker.</exception>
    /// <exception cref="InvalidModelException">The file is not a SerMlNet model.</exception>
    public static (IReadOnlyList<RecognitionResult> Results, IReadOnlyList<SpeakerCalibration> Calibrations) Recognize(
        string modelPath, OnnxModelOptions? options, IReadOnlyList<(string Path, string Speaker)> clips, IProgress<(int Done, int Total)>? progress = null,
        RecognitionOptions? recognition = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        ArgumentNullException.ThrowIfNull(clips);
        if (clips.Any(c => string.IsNullOrEmpty(c.Speaker)))
        {
            throw new ArgumentException("per-speaker calibration needs every clip's speaker", nameof(clips));
        }
        using EmotionRecognizer plain = EmotionRecognizer.Open(modelPath, options, recognition);
        string modelSha256 = SpeakerCalibration.HashOfModel(modelPath);
        var results = new RecognitionResult[clips.Count];
        var calibrations = new List<SpeakerCalibration>();
        int done = 0;
        foreach (IGrouping<string, int> speaker in Enumerable.Range(0, clips.Count).GroupBy(i => clips[i].Speaker).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            int[] members = [.. speaker];
            string[] paths = [.. members.Select(i => clips[i].Path)];
            SpeakerCalibration calibration = SpeakerCalibration.Fit(modelSha256, plain.Recognize(paths), speaker.Key);
            calibrations.Add(calibration);
            using EmotionRecognizer calibrated = EmotionRecognizer.OpenCalibrated(modelPath, calibration, options, recognition);
            IReadOnlyList<RecognitionResult> scored = calibrated.Recognize(paths);
            for (int k = 0; k < members.Length; k++)
            {
                results[members[k]] = scored[k];
            }
            done += members.Length;
            progress?.Report((done, clips.Count));
        }
        return (results, calibrations);
    }
}
