using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Spectral;
using SerMlNet.Onnx.Graph;

namespace SerMlNet.Onnx.Export;

/// <summary>
/// Builds the log-Mel front end of <see cref="FrontEndDescription"/> as ONNX opset-17 nodes over a float32
/// <c>[N, samples]</c> PCM value:
/// <list type="bullet">
/// <item>centre padding: <c>Pad</c> (constant or reflect) by <c>NFft / 2</c> on the sample axis;</item>
/// <item>framing + windowed real DFT in one <c>Conv</c> (stride <c>HopLength</c>) whose <c>2 (NFft / 2 + 1)</c> kernels
/// are <c>w[n] cos(2πkn / NFft)</c> and <c>-w[n] sin(2πkn / NFft)</c>, computed in double and rounded once to float32.
/// A direct DFT in float32 matches a double-precision FFT more closely than ONNX <c>STFT</c> (whose FFT precision and
/// window handling vary between runtimes) and runs on every provider;</item>
/// <item><c>re² + im²</c>, raised to <c>Power / 2</c> when Power ≠ 2; <c>MatMul</c> with the Mel filterbank;</item>
/// <item>dB with <c>ref = max</c> per example (<c>ReduceMax</c> over bands and frames), <c>amin</c> and <c>top_db</c>;</item>
/// <item>fixed length without control flow: pad <c>Frames</c> columns, <c>Slice</c> from the crop offset, and replace
/// columns past the signal with the example's minimum via <c>Where</c>;</item>
/// <item>normalisation, then <c>Unsqueeze</c> to <c>[N, 1, NMels, Frames]</c>.</item>
/// </list>
/// Stateless.
/// </summary>
internal static class LogMelGraph
{
    private const float TenOverLn10 = (float)(10.0 / 2.302585092994046);

    /// <summary>Appends the front end.</summary>
    /// <param name="g">The graph.</param>
    /// <param name="fe">The front end; must have passed <see cref="FrontEndDescription.Validate"/>.</param>
    /// <param name="pcm">Name of the <c>[N, samples]</c> float32 input.</param>
    /// <param name="output">Name to give the <c>[N, 1, NMels, Frames]</c> result, or null for a fresh one.</param>
    /// <returns>The result's name.</returns>
    public static string Append(OnnxGraphBuilder g, FrontEndDescription fe, string pcm, string? output = null)
    {
        int bins = fe.Bins;
        int half = fe.NFft / 2;

        // 1. Centre padding on the sample axis: [N, S] -> [N, S + 2 half].
        string padded = g.Node("Pad",
            [pcm, g.AddInt64("center_pads", [0, half, 0, half])],
            [Attr.String("mode", fe.PadMode == PadMode.Reflect ? "reflect" : "constant")]);

        // 2. Frames + window + real DFT as one strided 1-D convolution: [N, 1, S'] -> [N, 2 bins, T].
        string signal = g.Node("Unsqueeze", [padded, g.AddInt64("axis1", [1])]);
        string spectrum = g.Node("Conv",
            [signal, g.AddFloat("dft_basis", BuildDftBasis(fe), 2L * bins, 1, fe.NFft)],
            [Attr.Ints("kernel_shape", fe.NFft), Attr.Ints("strides", fe.HopLength), Attr.Ints("pads", 0, 0), Attr.Ints("dilations", 1), Attr.Int("group", 1)]);
        string[] reIm = g.NodeMulti("Split", [spectrum, g.AddInt64("split_re_im", [bins, bins])], 2, [Attr.Int("axis", 1)]);

        // 3. |X|^Power: [N, bins, T].
        string power = g.Node("Add", [g.Node("Mul", [reIm[0], reIm[0]]), g.Node("Mul", [reIm[1], reIm[1]])]);
        if (fe.Power == 1f)
        {
            power = g.Node("Sqrt", [power]);
        }
        else if (fe.Power != 2f)
        {
            power = g.Node("Pow", [power, g.AddScalar("half_power", fe.Power / 2f)]);
        }

        // 4. Mel projection: [M, bins] x [N, bins, T] -> [N, M, T].
        string mel = g.Node("MatMul", [g.AddFloat("mel_filterbank", fe.MelFilterbank, fe.NMels, bins), power]);

        // 5. power_to_db(ref = max per example, amin, top_db).
        string amin = g.AddScalar("amin", fe.Amin);
        string tenOverLn10 = g.AddScalar("ten_over_ln10", TenOverLn10);
        string db = g.Node("Mul", [g.Node("Log", [g.Node("Max", [mel, amin])]), tenOverLn10]);
        string reference = g.Node("ReduceMax", [mel], ReduceOverBandsAndFrames());
        string referenceDb = g.Node("Mul", [g.Node("Log", [g.Node("Max", [reference, amin])]), tenOverLn10]);
        db = g.Node("Sub", [db, referenceDb]);
        if (fe.TopDb is float topDb)
        {
            string floor = g.Node("Sub", [g.Node("ReduceMax", [db], ReduceOverBandsAndFrames()), g.AddScalar("top_db", topDb)]);
            db = g.Node("Max", [db, floor]);
        }

        // 6. Fixed length: [N, M, T] -> [N, M, Frames].
        string frames = AppendFixedLength(g, fe, db);

        // 7. Normalisation.
        string normalised = fe.Normalisation switch
        {
            FeatureNormalisation.None => frames,
            FeatureNormalisation.Utterance => AppendUtteranceZScore(g, fe, frames),
            FeatureNormalisation.PerBand => g.Node("Div",
            [
                g.Node("Sub", [frames, g.AddFloat("band_mean", fe.BandMean!, fe.NMels, 1)]),
                g.AddFloat("band_divisor", BandDivisors(fe), fe.NMels, 1),
            ]),
            _ => throw new InvalidOperationException($"normalisation {fe.Normalisation} is not supported"),
        };

        // 8. Channel axis for the CNN: [N, 1, M, Frames].
        return g.Node("Unsqueeze", [normalised, g.AddInt64("axis1", [1])], null, output);
    }

    /// <summary>The Conv kernels <c>[2 bins, 1, NFft]</c>: cosine rows then negated sine rows, windowed.</summary>
    /// <param name="fe">The front end.</param>
    /// <returns>Row-major kernel values.</returns>
    internal static float[] BuildDftBasis(FrontEndDescription fe)
    {
        int nFft = fe.NFft;
        int bins = fe.Bins;
        double[] window = Windows.PeriodicHann(fe.EffectiveWinLength, nFft);
        var basis = new float[2 * bins * nFft];
        for (int k = 0; k < bins; k++)
        {
            int cosRow = k * nFft;
            int sinRow = (bins + k) * nFft;
            for (int n = 0; n < nFft; n++)
            {
                if (window[n] == 0)
                {
                    continue;
                }
                // Reduce k n modulo NFft before scaling so that the angle stays exact for large k n.
                double angle = 2.0 * Math.PI * ((long)k * n % nFft) / nFft;
                basis[cosRow + n] = (float)(window[n] * Math.Cos(angle));
                basis[sinRow + n] = (float)(-window[n] * Math.Sin(angle));
            }
        }
        return basis;
    }

    private static string AppendFixedLength(OnnxGraphBuilder g, FrontEndDescription fe, string db)
    {
        long f = fe.Frames;
        string framesConst = g.AddInt64("frames", [f]);
        string t = g.Node("Shape", [db], [Attr.Int("start", 2), Attr.Int("end", 3)]);
        string start;
        if (fe.CropAlignment == CropAlignment.Start)
        {
            start = g.AddInt64("crop_start", [0]);
        }
        else
        {
            string excess = g.Node("Max", [g.Node("Sub", [t, framesConst]), g.AddInt64("zero", [0])]);
            start = fe.CropAlignment == CropAlignment.Center
                ? g.Node("Div", [excess, g.AddInt64("two", [2])])
                : excess;
        }
        // Pad Frames columns at the end (values replaced below), then take Frames columns from the crop offset.
        string padded = g.Node("Pad", [db, g.AddInt64("length_pads", [0, 0, 0, 0, 0, f])], [Attr.String("mode", "constant")]);
        string cropped = g.Node("Slice", [padded, start, g.Node("Add", [start, framesConst]), g.AddInt64("axis2", [2])]);
        // Columns at or past the signal's end take the example's minimum (its dB floor).
        string valid = g.Node("Less", [g.AddInt64("frame_index", Range(f)), g.Node("Sub", [t, start])]);
        string minimum = g.Node("ReduceMin", [db], ReduceOverBandsAndFrames());
        return g.Node("Where", [valid, cropped, minimum]);
    }

    private static string AppendUtteranceZScore(OnnxGraphBuilder g, FrontEndDescription fe, string x)
    {
        string centred = g.Node("Sub", [x, g.Node("ReduceMean", [x], ReduceOverBandsAndFrames())]);
        string variance = g.Node("ReduceMean", [g.Node("Mul", [centred, centred])], ReduceOverBandsAndFrames());
        string divisor = g.Node("Add", [g.Node("Sqrt", [variance]), g.AddScalar("zscore_epsilon", fe.NormalisationEpsilon)]);
        return g.Node("Div", [centred, divisor]);
    }

    /// <summary><c>BandStd[m] + NormalisationEpsilon</c>, added in double and rounded once.</summary>
    private static float[] BandDivisors(FrontEndDescription fe)
    {
        var d = new float[fe.NMels];
        for (int m = 0; m < d.Length; m++)
        {
            d[m] = (float)((double)fe.BandStd![m] + fe.NormalisationEpsilon);
        }
        return d;
    }

    private static global::Onnx.AttributeProto[] ReduceOverBandsAndFrames() => [Attr.Ints("axes", 1, 2), Attr.Int("keepdims", 1)];

    private static long[] Range(long count)
    {
        var r = new long[count];
        for (long i = 0; i < count; i++)
        {
            r[i] = i;
        }
        return r;
    }
}
