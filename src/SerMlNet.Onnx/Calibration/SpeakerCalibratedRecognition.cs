using SerMlNet.Onnx.Inference;
using SerMlNet.Onnx.Recognition;

namespace SerMlNet.Onnx.Calibration;

/// <summary>
/// Transductive per-speaker scoring: every speaker's clips scored once, a <see cref="SpeakerCalibration"/> fitted on those
/// plain results (their labels are never read), and each result calibrated with it (<see cref="SpeakerCalibration.Apply(RecognitionResult)"/>,
/// what a recognizer opened with that calibration gives). What a user gets after calibrating on a few
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
    /// <returns>One result per clip, in the order given, and one calibration per speaker (ordinal order of names).</returns>
    /// <exception cref="ArgumentException">A clip has no speaker.</exception>
    /// <exception cref="InvalidModelException">The file is not a SerMlNet model.</exception>
    public static (IReadOnlyList<RecognitionResult> Results, IReadOnlyList<SpeakerCalibration> Calibrations) Recognize(
        string modelPath, OnnxModelOptions? options, IReadOnlyList<(string Path, string Speaker)> clips, IProgress<(int Done, int Total)>? progress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        ArgumentNullException.ThrowIfNull(clips);
        if (clips.Any(c => string.IsNullOrEmpty(c.Speaker)))
        {
            throw new ArgumentException("per-speaker calibration needs every clip's speaker", nameof(clips));
        }
        using EmotionRecognizer plain = EmotionRecognizer.Open(modelPath, options);
        string modelSha256 = SpeakerCalibration.HashOfModel(modelPath);
        var results = new RecognitionResult[clips.Count];
        var calibrations = new List<SpeakerCalibration>();
        int done = 0;
        foreach (IGrouping<string, int> speaker in Enumerable.Range(0, clips.Count).GroupBy(i => clips[i].Speaker).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            int[] members = [.. speaker];
            IReadOnlyList<RecognitionResult> scored = plain.Recognize([.. members.Select(i => clips[i].Path)]);
            SpeakerCalibration calibration = SpeakerCalibration.Fit(modelSha256, scored, speaker.Key);
            calibrations.Add(calibration);
            for (int k = 0; k < members.Length; k++)
            {
                results[members[k]] = calibration.Apply(scored[k]);
            }
            done += members.Length;
            progress?.Report((done, clips.Count));
        }
        return (results, calibrations);
    }
}
