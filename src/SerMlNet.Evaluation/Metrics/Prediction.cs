using SerMlNet.Pipeline.Datasets;

namespace SerMlNet.Evaluation.Metrics;

/// <summary>
/// One evaluated example: its clip, true and predicted class indices (positions in the label list the evaluation is
/// given), the model's class probabilities, and the speaker metadata the bias audit groups by. Immutable by
/// convention (do not mutate <see cref="Probabilities"/> after construction); thread-safe for reading.
/// </summary>
/// <param name="ClipId">Stable clip identifier (<see cref="Clip.Id"/>, e.g. <c>Actor_01/03-01-05-02-01-01-01.wav</c>).</param>
/// <param name="TrueClass">True class index in [0, number of labels).</param>
/// <param name="PredictedClass">Predicted class index in [0, number of labels), normally the arg-max of <paramref name="Probabilities"/>.</param>
/// <param name="Probabilities">One probability per class, in label order (softmax output; each in [0, 1]).</param>
/// <param name="Gender">Speaker gender, or null when unknown (then the example is left out of the gender comparison).</param>
/// <param name="Intensity">Emotional intensity (RAVDESS: <c>normal</c> or <c>strong</c>), or null when unknown.</param>
/// <param name="MedianF0">The clip's median F0 over its voiced frames in Hz (<see cref="Pitch.PitchAnalyzer"/>), or null when not measured or unvoiced.</param>
public sealed record Prediction(
    string ClipId,
    int TrueClass,
    int PredictedClass,
    float[] Probabilities,
    Gender? Gender,
    string? Intensity,
    double? MedianF0 = null)
{
    /// <summary>Probability the model gave its predicted class, in [0, 1].</summary>
    public float Confidence => Probabilities[PredictedClass];

    /// <summary>
    /// Builds a prediction for a catalog clip from the model's probabilities: the predicted class is the arg-max (the
    /// lowest index wins a tie), gender and intensity come from the clip.
    /// </summary>
    /// <param name="clip">The evaluated clip.</param>
    /// <param name="trueClass">The clip's class index (e.g. <see cref="DatasetCatalog.LabelIndex"/> of <see cref="Clip.Label"/>).</param>
    /// <param name="probabilities">One probability per class, in label order; not copied.</param>
    /// <returns>The prediction.</returns>
    public static Prediction FromProbabilities(Clip clip, int trueClass, float[] probabilities)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(probabilities);
        if (probabilities.Length == 0)
        {
            throw new ArgumentException("probabilities is empty; expected one value per class", nameof(probabilities));
        }
        int best = 0;
        for (int c = 1; c < probabilities.Length; c++)
        {
            if (probabilities[c] > probabilities[best])
            {
                best = c;
            }
        }
        return new Prediction(clip.Id, trueClass, best, probabilities, clip.Gender, clip.Intensity);
    }
}
