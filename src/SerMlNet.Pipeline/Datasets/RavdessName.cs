using System.Globalization;

namespace SerMlNet.Pipeline.Datasets;

/// <summary>
/// The seven fields of a RAVDESS file name <c>MM-VV-EE-II-SS-RR-AA.wav</c>: modality, vocal channel, emotion,
/// intensity, statement, repetition and actor (odd actors are male, even are female).
/// </summary>
/// <param name="Modality">01 audio-video, 02 video-only, 03 audio-only.</param>
/// <param name="VocalChannel">01 speech, 02 song.</param>
/// <param name="EmotionCode">01 neutral … 08 surprised.</param>
/// <param name="Intensity">1 normal, 2 strong (neutral has no strong intensity).</param>
/// <param name="Statement">1 "Kids are talking by the door", 2 "Dogs are sitting by the door".</param>
/// <param name="Repetition">1 or 2.</param>
/// <param name="Actor">1–24.</param>
public readonly record struct RavdessName(int Modality, int VocalChannel, int EmotionCode, int Intensity, int Statement, int Repetition, int Actor)
{
    /// <summary>The emotion label (one of <see cref="Emotions.Ravdess"/>).</summary>
    public string Emotion => Emotions.Ravdess[EmotionCode - 1];

    /// <summary>The actor's gender: odd actor numbers are male, even are female.</summary>
    public Gender Gender => Actor % 2 == 1 ? Gender.Male : Gender.Female;

    /// <summary>Speaker identifier, e.g. <c>actor07</c>.</summary>
    public string Speaker => $"actor{Actor:D2}";

    /// <summary>Parses a file name (with or without folder and <c>.wav</c> extension).</summary>
    /// <param name="fileName">E.g. <c>Actor_03/03-01-05-01-01-01-03.wav</c>.</param>
    /// <returns>The parsed fields.</returns>
    /// <exception cref="DatasetException">The name does not follow the RAVDESS convention; the message says which field.</exception>
    public static RavdessName Parse(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        if (TryParse(fileName, out RavdessName name, out string? error))
        {
            return name;
        }
        throw new DatasetException($"'{fileName}' is not a RAVDESS file name: {error}");
    }

    /// <summary>Parses a file name without throwing.</summary>
    /// <param name="fileName">The file name.</param>
    /// <param name="name">The parsed fields when successful.</param>
    /// <param name="error">Why it failed, otherwise null.</param>
    /// <returns>Whether the name is valid.</returns>
    public static bool TryParse(string fileName, out RavdessName name, out string? error)
    {
        name = default;
        string stem = Path.GetFileName(fileName);
        if (!stem.EndsWith(".wav", StringComparison.OrdinalIgnoreCase))
        {
            error = "expected a .wav file named MM-VV-EE-II-SS-RR-AA.wav";
            return false;
        }
        string[] parts = stem[..^4].Split('-');
        if (parts.Length != 7)
        {
            error = $"expected 7 two-digit fields separated by '-', found {parts.Length}";
            return false;
        }
        ReadOnlySpan<(string Field, int Min, int Max)> ranges =
        [
            ("modality", 1, 3), ("vocal channel", 1, 2), ("emotion", 1, 8), ("intensity", 1, 2),
            ("statement", 1, 2), ("repetition", 1, 2), ("actor", 1, 24),
        ];
        Span<int> values = stackalloc int[7];
        for (int i = 0; i < 7; i++)
        {
            if (parts[i].Length != 2 || !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]))
            {
                error = $"{ranges[i].Field} field '{parts[i]}' is not two digits";
                return false;
            }
            if (values[i] < ranges[i].Min || values[i] > ranges[i].Max)
            {
                error = $"{ranges[i].Field} {values[i]:D2} is outside {ranges[i].Min:D2}–{ranges[i].Max:D2}";
                return false;
            }
        }
        if (values[2] == 1 && values[3] == 2)
        {
            error = "neutral (emotion 01) has no strong intensity (02)";
            return false;
        }
        name = new RavdessName(values[0], values[1], values[2], values[3], values[4], values[5], values[6]);
        error = null;
        return true;
    }
}
