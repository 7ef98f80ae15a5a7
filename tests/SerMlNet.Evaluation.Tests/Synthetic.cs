using SerMlNet.Evaluation.Metrics;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Randomness;

namespace SerMlNet.Evaluation.Tests;

/// <summary>Seeded synthetic predictions for tests.</summary>
internal static class Synthetic
{
    public static readonly string[] Labels = Emotions.Ravdess.ToArray();

    /// <summary>
    /// <paramref name="n"/> predictions over the 8 RAVDESS classes; each is correct with probability
    /// <paramref name="maleAccuracy"/> (odd index, male) or <paramref name="femaleAccuracy"/> (even index, female),
    /// otherwise a uniformly chosen wrong class. Intensity alternates normal/strong by pairs.
    /// </summary>
    public static List<Prediction> Predictions(int n, double maleAccuracy, double femaleAccuracy, long seed = 7)
    {
        var random = new SeededRandom(seed);
        int k = Labels.Length;
        var list = new List<Prediction>(n);
        for (int i = 0; i < n; i++)
        {
            bool male = i % 2 == 1;
            int truth = random.NextInt(k);
            bool correct = random.NextBool(male ? maleAccuracy : femaleAccuracy);
            int predicted = correct ? truth : (truth + 1 + random.NextInt(k - 1)) % k;
            var probabilities = new float[k];
            float rest = 0.4f / (k - 1);
            for (int c = 0; c < k; c++)
            {
                probabilities[c] = c == predicted ? 0.6f : rest;
            }
            list.Add(new Prediction($"Actor_{(male ? 1 : 2):D2}/clip{i:D5}.wav", truth, predicted, probabilities,
                male ? Gender.Male : Gender.Female, (i / 2) % 2 == 0 ? "normal" : "strong"));
        }
        return list;
    }

    /// <summary>A prediction with one-hot-ish probabilities.</summary>
    public static Prediction Make(string id, int truth, int predicted, int classes, Gender? gender = null, string? intensity = null)
    {
        var probabilities = new float[classes];
        for (int c = 0; c < classes; c++)
        {
            probabilities[c] = c == predicted ? 0.7f : 0.3f / (classes - 1);
        }
        return new Prediction(id, truth, predicted, probabilities, gender, intensity);
    }
}
