namespace SerMlNet.Pipeline.Datasets;

/// <summary>The eight RAVDESS emotion labels in their canonical order (class index = position).</summary>
public static class Emotions
{
    /// <summary>neutral, calm, happy, sad, angry, fearful, disgust, surprised (RAVDESS codes 01–08).</summary>
    public static IReadOnlyList<string> Ravdess { get; } =
        ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"];
}
