namespace SerMlNet.Serving.Http;

/// <summary>The <c>Content-Type</c> values the scoring endpoints accept for a WAV body. Thread-safe.</summary>
public static class WavContentTypes
{
    /// <summary>The type to send: <c>audio/wav</c>.</summary>
    public const string Preferred = "audio/wav";

    /// <summary>
    /// Every accepted media type (parameters such as <c>; codecs=1</c> are ignored, case-insensitive): the WAV types
    /// browsers and tools use, and <c>application/octet-stream</c> for clients that only know "bytes".
    /// </summary>
    public static IReadOnlyList<string> Accepted { get; } = ["audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave", "application/octet-stream"];

    /// <summary>Whether a <c>Content-Type</c> header value names an accepted type.</summary>
    /// <param name="contentType">The header value; null or empty is not accepted.</param>
    /// <returns>True when its media type (before any <c>;</c>) is one of <see cref="Accepted"/>.</returns>
    public static bool IsAccepted(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return false;
        }
        int semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        ReadOnlySpan<char> media = (semicolon < 0 ? contentType.AsSpan() : contentType.AsSpan(0, semicolon)).Trim();
        foreach (string accepted in Accepted)
        {
            if (media.Equals(accepted, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
