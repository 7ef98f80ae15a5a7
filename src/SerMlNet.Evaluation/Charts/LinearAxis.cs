using System.Globalization;

namespace SerMlNet.Evaluation.Charts;

/// <summary>
/// A linear value axis mapped onto a pixel range, with "nice" ticks (1, 2, 2.5 or 5 × 10^k steps) and tick labels
/// formatted to the step's precision. Immutable.
/// </summary>
internal sealed class LinearAxis
{
    public LinearAxis(double min, double max, double pixelStart, double pixelEnd, int targetTicks, bool extendToTicks = true)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max))
        {
            (min, max) = (0, 1);
        }
        if (max < min)
        {
            (min, max) = (max, min);
        }
        if (max - min < 1e-12)
        {
            double pad = Math.Abs(min) > 1e-12 ? Math.Abs(min) * 0.1 : 1;
            min -= pad;
            max += pad;
        }
        Step = NiceStep((max - min) / Math.Max(1, targetTicks));
        if (extendToTicks)
        {
            min = Math.Floor(min / Step + 1e-9) * Step;
            max = Math.Ceiling(max / Step - 1e-9) * Step;
        }
        Min = min;
        Max = max;
        PixelStart = pixelStart;
        PixelEnd = pixelEnd;
        var ticks = new List<double>();
        for (double t = Math.Ceiling(min / Step - 1e-9) * Step; t <= max + Step * 1e-6; t += Step)
        {
            ticks.Add(Math.Abs(t) < Step * 1e-9 ? 0 : t);
        }
        Ticks = ticks;
        Decimals = Math.Max(0, (int)Math.Ceiling(-Math.Log10(Step) - 1e-9));
        if (Math.Abs(Step * Math.Pow(10, Decimals) - Math.Round(Step * Math.Pow(10, Decimals))) > 1e-6)
        {
            Decimals++; // 2.5 × 10^k needs one more digit.
        }
    }

    public double Min { get; }

    public double Max { get; }

    public double Step { get; }

    public double PixelStart { get; }

    public double PixelEnd { get; }

    public IReadOnlyList<double> Ticks { get; }

    public int Decimals { get; }

    public double Map(double value) => PixelStart + (value - Min) / (Max - Min) * (PixelEnd - PixelStart);

    /// <summary>Maps and clamps to the axis range.</summary>
    public double MapClamped(double value) => Map(Math.Clamp(value, Min, Max));

    /// <summary>Tick label to the step's precision, negative values with a true minus sign (U+2212).</summary>
    public string Label(double value)
    {
        string text = value.ToString("F" + Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return text.StartsWith('-') ? (text.AsSpan(1).ContainsAnyExcept("0.") ? "−" + text[1..] : text[1..]) : text;
    }

    /// <summary>Ticks at integers only (epochs, band numbers): the nice step rounded up to a whole number.</summary>
    public IReadOnlyList<double> IntegerTicks()
    {
        double step = Math.Max(1, Math.Ceiling(Step - 1e-9));
        var ticks = new List<double>();
        for (double t = Math.Ceiling(Min / step - 1e-9) * step; t <= Max + 1e-9; t += step)
        {
            ticks.Add(t);
        }
        return ticks;
    }

    private static double NiceStep(double raw)
    {
        if (raw <= 0 || !double.IsFinite(raw))
        {
            return 1;
        }
        double power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double fraction = raw / power;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
        return nice * power;
    }
}
