using System.Text;

namespace SerMlNet.Evaluation.Reporting;

/// <summary>XML/HTML text escaping shared by the SVG writer and the report. Thread-safe.</summary>
internal static class Xml
{
    /// <summary>
    /// Escapes text for an XML or HTML text node or a double- or single-quoted attribute value: <c>&amp; &lt; &gt; " '</c>
    /// become entities, and characters that XML 1.0 forbids (C0 controls other than tab/newline/return, lone
    /// surrogates, U+FFFE/U+FFFF) are dropped.
    /// </summary>
    /// <param name="text">Any text; null gives an empty string.</param>
    /// <returns>The escaped text.</returns>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }
        var builder = new StringBuilder(text.Length + 16);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '&': builder.Append("&amp;"); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '"': builder.Append("&quot;"); break;
                case '\'': builder.Append("&#39;"); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        builder.Append(c).Append(text[i + 1]);
                        i++;
                    }
                    else if (IsAllowed(c))
                    {
                        builder.Append(c);
                    }
                    break;
            }
        }
        return builder.ToString();
    }

    private static bool IsAllowed(char c) =>
        c is '\t' or '\n' or '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
}
