namespace SerMlNet.Audio.Resampling;

/// <summary>
/// The resampler's interpolation kernel: an ideal low-pass impulse response (sinc) times a Kaiser window, as a function
/// of time measured in input samples. Immutable and thread-safe.
/// </summary>
internal sealed class KaiserSinc
{
    private readonly double _beta;
    private readonly double _i0Beta;

    /// <param name="cutoff">Cutoff (-6 dB point) as a fraction of the input sample rate (0 &lt; cutoff ≤ 0.5).</param>
    /// <param name="halfWidth">Kernel half-width in input samples.</param>
    /// <param name="attenuationDb">Stop-band attenuation the Kaiser window is designed for.</param>
    public KaiserSinc(double cutoff, double halfWidth, double attenuationDb)
    {
        Cutoff = cutoff;
        HalfWidth = halfWidth;
        _beta = attenuationDb > 50 ? 0.1102 * (attenuationDb - 8.7)
            : attenuationDb >= 21 ? 0.5842 * Math.Pow(attenuationDb - 21, 0.4) + 0.07886 * (attenuationDb - 21)
            : 0;
        _i0Beta = BesselI0(_beta);
    }

    public double Cutoff { get; }

    public double HalfWidth { get; }

    /// <summary>h(tau) = 2 fc sinc(2 fc tau) w(tau / halfWidth); zero outside [-halfWidth, halfWidth].</summary>
    public double Evaluate(double tau)
    {
        double r = tau / HalfWidth;
        if (r is < -1 or > 1)
        {
            return 0;
        }
        double x = 2 * Cutoff * tau;
        double sinc = Math.Abs(x) < 1e-12 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);
        double window = BesselI0(_beta * Math.Sqrt(Math.Max(0, 1 - r * r))) / _i0Beta;
        return 2 * Cutoff * sinc * window;
    }

    /// <summary>Modified Bessel function of the first kind, order 0 (power series).</summary>
    internal static double BesselI0(double x)
    {
        double sum = 1, term = 1, q = x * x / 4;
        for (int k = 1; k < 500; k++)
        {
            term *= q / ((double)k * k);
            sum += term;
            if (term < sum * 1e-17)
            {
                break;
            }
        }
        return sum;
    }
}
