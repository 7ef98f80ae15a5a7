using System.Globalization;

namespace SerMlNet.Evaluation.Imaging;

/// <summary>
/// A sequential colour map given by evenly spaced stops (from matplotlib's and ColorBrewer's tables) and interpolated
/// linearly in sRGB.
/// Immutable; thread-safe.
/// </summary>
public sealed class ColorMap
{
    private readonly (byte R, byte G, byte B)[] _stops;

    private ColorMap(string name, params string[] hexStops)
    {
        Name = name;
        _stops = hexStops.Select(Parse).ToArray();
    }

    /// <summary>matplotlib's viridis: dark purple (0) through blue and green to yellow (1).</summary>
    public static ColorMap Viridis { get; } = new("viridis",
        "#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21918c", "#22a884", "#44bf70", "#7ad151", "#bddf26", "#fde725");

    /// <summary>matplotlib's magma: black (0) through purple and orange to pale yellow (1).</summary>
    public static ColorMap Magma { get; } = new("magma",
        "#000004", "#140e36", "#3b0f70", "#641a80", "#8c2981", "#b73779", "#de4968", "#f7705c", "#fe9f6d", "#fecf92", "#fcfdbf");

    /// <summary>ColorBrewer's 9-class Blues (matplotlib's <c>Blues</c>): near-white (0) to dark blue (1); suits confusion matrices.</summary>
    public static ColorMap Blues { get; } = new("blues",
        "#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b");

    /// <summary>Name of the map (<c>viridis</c>, <c>magma</c>, <c>blues</c>).</summary>
    public string Name { get; }

    /// <summary>The colour at position <paramref name="t"/>.</summary>
    /// <param name="t">Position in [0, 1]; values outside are clamped and NaN maps to 0.</param>
    /// <returns>The sRGB colour.</returns>
    public (byte R, byte G, byte B) Map(double t)
    {
        if (double.IsNaN(t) || t <= 0)
        {
            return _stops[0];
        }
        if (t >= 1)
        {
            return _stops[^1];
        }
        double position = t * (_stops.Length - 1);
        int i = (int)position;
        double f = position - i;
        var (r0, g0, b0) = _stops[i];
        var (r1, g1, b1) = _stops[i + 1];
        return (Lerp(r0, r1, f), Lerp(g0, g1, f), Lerp(b0, b1, f));
    }

    /// <summary>The colour at <paramref name="t"/> as a CSS hex string.</summary>
    /// <param name="t">Position in [0, 1].</param>
    /// <returns>E.g. <c>#21918c</c>.</returns>
    public string Hex(double t)
    {
        var (r, g, b) = Map(t);
        return $"#{r:x2}{g:x2}{b:x2}";
    }

    private static byte Lerp(byte a, byte b, double f) => (byte)Math.Round(a + (b - a) * f);

    private static (byte, byte, byte) Parse(string hex) => (
        byte.Parse(hex.AsSpan(1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        byte.Parse(hex.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        byte.Parse(hex.AsSpan(5, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
}
