using SerMlNet.Onnx.Inference;
using SerMlNet.Onnx.Recognition;
using SerMlNet.Pipeline.Calibration;

namespace SerMlNet.Onnx.Calibration;

/// <summary>
/// Transductive per-speaker scoring: for every speaker, a <see cref="SpeakerCalibration"/> fitted on that speaker's own
/// clips (their labels are never read), then those clips scored with it. What a user gets after calibrating on a few
/// unlabelled recordings of their voice, measured on a labelled set; report it apart from the plain figure, since
/// every test clip also served as calibration audio. Stateless; thread-safe.
/// </summary>
public static class SpeakerCalibratedRecognition
{
    /// <summary>Fits each speaker's calibration on that speaker's clips and scores them with it.</summary>
    /// <param name="modelPath">A SerMlNet <c>model.onnx</c> (log-Mel input).</param>
    /// <param name="options">Session set-up; null for the defaults (CPU).</param>
    /// <param name="clips">WAV paths with their speaker; every speaker needs at least one clip.</param>
    /// <param name="progress">Receives (clips scored, clips in all) after each speaker; may be null.</param>
    /// <returns>One result per clip, in the order given, and one calibration per speaker (ordinal order of names).</returns>
    /// <exception cref="ArgumentException">A clip has no speaker.</exception>
    /// <exception cref="InvalidModelException">The model is not a log-Mel model with a band normaliser.</exception>
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
        var results = new RecognitionResult[clips.Count];
        var calibrations = new List<SpeakerCalibration>();
        int done = 0;
        foreach (IGrouping<string, int> speaker in Enumerable.Range(0, clips.Count).GroupBy(i => clips[i].Speaker).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            int[] members = [.. speaker];
            SpeakerCalibration calibration = plain.FitCalibration(members.Select(i => clips[i].Path), speaker.Key);
            calibrations.Add(calibration);
            using EmotionRecognizer recognizer = EmotionRecognizer.OpenCalibrated(modelPath, calibration, options);
            IReadOnlyList<RecognitionResult> scored = recognizer.Recognize([.. members.Select(i => clips[i].Path)]);
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
