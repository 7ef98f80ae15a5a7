using SerMlNet.Audio;

namespace SerMlNet.Onnx.Recognition;

/// <summary>
/// How an <see cref="EmotionRecognizer"/> scores whole inputs (files and waveforms). Validated once when the recognizer
/// opens; every bad field is reported together.
/// </summary>
public sealed record RecognitionOptions
{
    /// <summary>
    /// The speeds of the shipped job's speed perturbation, 0.9 and 1.1: the test-time augmentation <c>--tta</c> turns on.
    /// </summary>
    public static IReadOnlyList<double> TrainingSpeeds { get; } = [0.9, 1.1];

    /// <summary>
    /// Test-time augmentation: besides the input as given, score it played at each of these speeds (tempo and pitch
    /// together, exactly as the training's speed perturbation), and make the overall prediction the mean of the
    /// variants' overall predictions (probabilities and logits, as windows are averaged). Default empty: each input is
    /// scored once. Each speed in [0.5, 2], not 1 (the input as given is always scored), no speed twice.
    /// <para>Measured (README, "Test-time augmentation"): <see cref="TrainingSpeeds"/> lift the default job's 5-fold
    /// actor-held-out macro-F1 from 0.677 ± 0.049 to 0.692 (15 fold models, 10 up), for three network runs and three
    /// front-end passes per input instead of one. <see cref="RecognitionResult.Windows"/> stay those of the input as
    /// given; streams (<see cref="EmotionRecognizer.RecognizeStreamAsync"/>) score each window once.</para>
    /// </summary>
    public IReadOnlyList<double> TestTimeSpeeds { get; init; } = [];

    /// <summary>Checks every field and reports all problems at once.</summary>
    /// <exception cref="OptionsValidationException">One or more fields are out of range.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (TestTimeSpeeds is null)
        {
            errors.Add("TestTimeSpeeds must not be null (empty for none)");
        }
        else
        {
            foreach (double speed in TestTimeSpeeds)
            {
                if (!(speed >= 0.5 && speed <= 2) || speed == 1)
                {
                    errors.Add($"TestTimeSpeeds: each speed must be in [0.5, 2] and not 1 (was {speed})");
                }
            }
            if (TestTimeSpeeds.Distinct().Count() != TestTimeSpeeds.Count)
            {
                errors.Add($"TestTimeSpeeds: a speed is given twice ({string.Join(", ", TestTimeSpeeds)})");
            }
        }
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(RecognitionOptions), errors);
        }
    }
}
