using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Spectral;
using SerMlNet.Onnx.Graph;

namespace SerMlNet.Onnx.Export;

/// <summary>
/// Builds the front end of <see cref="FrontEndDescription"/> as ONNX opset-17 nodes over a float32 <c>[N, samples]</c>
/// PCM value and an int64 <c>[N]</c> count of valid samples per row (the tail past it is ignored), without control flow:
/// <list type="bullet">
/// <item>silence trimming (<see cref="FrontEndDescription.Trim"/>, <see cref="TrimGraph"/>): each row's kept interval
/// <c>[start, start + kept)</c>; without trimming, the row's valid samples;</item>
/// <item>the kept samples and their centre padding (<c>NFft / 2</c> each side, constant or numpy-reflect) in one
/// <c>GatherElements</c> with per-row indices: <c>[N, samples + 2 (NFft / 2)]</c>, zeros past each row's padded end;</item>
/// <item>framing + windowed real DFT in one <c>Conv</c> (stride <c>HopLength</c>) whose <c>2 (NFft / 2 + 1)</c> kernels
/// are <c>w[n] cos(2πkn / NFft)</c> and <c>-w[n] sin(2πkn / NFft)</c>, computed in double and rounded once to float32.
/// A direct DFT in float32 matches a double-precision FFT more closely than ONNX <c>STFT</c> (whose FFT precision and
/// window handling vary between runtimes) and runs on every provider;</item>
/// <item><c>re² + im²</c>, raised to <c>Power / 2</c> when Power ≠ 2; <c>MatMul</c> with the Mel filterbank;</item>
/// <item>dB with <c>ref = max</c> per example (<c>ReduceMax</c> over bands and the row's own <c>1 + kept / HopLength</c>
/// frames), <c>amin</c> and <c>top_db</c>;</item>
/// <item>fixed length without control flow: pad <c>Frames</c> columns, take <c>Frames</c> columns from each row's crop
/// offset (<c>GatherElements</c>), and replace columns past the row's frames with its minimum via <c>Where</c>;</item>
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
    /// <param name="lengths">Name of the <c>[N]</c> int64 input: valid samples per row (clamped to [0, samples]).</param>
    /// <param name="output">Name to give the <c>[N, 1, NMels, Frames]</c> result, or null for a fresh one.</param>
    /// <returns>The result's name.</returns>
    public static string Append(OnnxGraphBuilder g, FrontEndDescription fe, string pcm, string lengths, string? output = null)
    {
        Decibels db = AppendDecibels(g, fe, pcm, lengths);

        // 8. Fixed length: [N, M, T] -> [N, M, Frames].
        string frames = AppendFixedLength(g, fe, db);

        // 9. and 10. Normalisation, channel axis.
        return AppendNormalised(g, fe, frames, output);
    }

    /// <summary>
    /// Appends steps 0–7 (trimming, STFT, Mel, dB): each row's log-Mel of its kept samples, relative to its own loudest
    /// frame, before the fixed-length step.
    /// </summary>
    /// <param name="g">The graph.</param>
    /// <param name="fe">The front end; must have passed <see cref="FrontEndDescription.Validate"/>.</param>
    /// <param name="pcm">Name of the <c>[N, samples]</c> float32 input.</param>
    /// <param name="lengths">Name of the <c>[N]</c> int64 valid samples per row (clamped to [0, samples]).</param>
    /// <returns>The dB values and which of their frames belong to each row.</returns>
    public static Decibels AppendDecibels(OnnxGraphBuilder g, FrontEndDescription fe, string pcm, string lengths)
    {
        int bins = fe.Bins;
        long half = fe.NFft / 2;
        string zero = g.AddInt64Scalar("zero", 0);
        string one = g.AddInt64Scalar("one", 1);

        // 0. Valid samples per row, [N, 1] in [0, S].
        string samples = g.Node("Shape", [pcm], [Attr.Int("start", 1), Attr.Int("end", 2)]);
        string length = g.Node("Min", [g.Node("Max", [g.Node("Unsqueeze", [lengths, g.AddInt64("axis1", [1])]), zero]), samples]);

        // 1. The kept interval [start, start + kept) of each row: [N, 1] each.
        var (start, kept) = fe.Trim is { } trim
            ? TrimGraph.Append(g, trim, pcm, length, samples)
            : (g.Node("Mul", [length, zero]), length);

        // 2. Kept samples with centre padding, gathered per row: [N, S + 2 half]; position p reads kept sample p - half.
        string width = g.Node("Add", [samples, g.AddInt64("two_half", [2 * half])]);
        string position = g.Node("Range", [zero, g.Node("Squeeze", [width, g.AddInt64("axis0", [0])]), one]);
        string q = g.Node("Sub", [position, g.AddInt64Scalar("half", half)]);
        string inside;
        string source;
        if (fe.PadMode == PadMode.Reflect)
        {
            // numpy 'reflect' for any offset (repeated reflection): m = q mod 2 (kept - 1), index m or 2 (kept - 1) - m.
            string period = g.Node("Max", [g.Node("Mul", [g.Node("Sub", [kept, one]), g.AddInt64Scalar("two", 2)]), one]);
            string m = g.Node("Mod", [q, period], [Attr.Int("fmod", 0)]);
            source = g.Node("Where", [g.Node("Less", [m, kept]), m, g.Node("Sub", [period, m])]);
            // Rows with nothing kept read as zeros (the C# front end refuses to reflect-pad an empty signal).
            inside = g.Node("Less", [g.Node("Sub", [q, kept]), g.AddInt64Scalar("half", half)]);
            inside = g.Node("And", [inside, g.Node("Greater", [kept, zero])]);
        }
        else
        {
            source = q;
            inside = g.Node("And", [g.Node("GreaterOrEqual", [q, zero]), g.Node("Less", [q, kept])]);
        }
        string lastSample = g.Node("Max", [g.Node("Sub", [samples, one]), zero]);
        string index = g.Node("Min", [g.Node("Max", [g.Node("Add", [start, source]), zero]), lastSample]);
        string padded = g.Node("Where", [inside, g.Node("GatherElements", [pcm, index], [Attr.Int("axis", 1)]), g.AddScalar("zero_f", 0f)]);

        // 3. Frames + window + real DFT as one strided 1-D convolution: [N, 1, S'] -> [N, 2 bins, T].
        string signal = g.Node("Unsqueeze", [padded, g.AddInt64("axis1", [1])]);
        string spectrum = g.Node("Conv",
            [signal, g.AddFloat("dft_basis", BuildDftBasis(fe), 2L * bins, 1, fe.NFft)],
            [Attr.Ints("kernel_shape", fe.NFft), Attr.Ints("strides", fe.HopLength), Attr.Ints("pads", 0, 0), Attr.Ints("dilations", 1), Attr.Int("group", 1)]);
        string[] reIm = g.NodeMulti("Split", [spectrum, g.AddInt64("split_re_im", [bins, bins])], 2, [Attr.Int("axis", 1)]);

        // 4. |X|^Power: [N, bins, T].
        string power = g.Node("Add", [g.Node("Mul", [reIm[0], reIm[0]]), g.Node("Mul", [reIm[1], reIm[1]])]);
        if (fe.Power == 1f)
        {
            power = g.Node("Sqrt", [power]);
        }
        else if (fe.Power != 2f)
        {
            power = g.Node("Pow", [power, g.AddScalar("half_power", fe.Power / 2f)]);
        }

        // 5. Mel projection: [M, bins] x [N, bins, T] -> [N, M, T].
        string mel = g.Node("MatMul", [g.AddFloat("mel_filterbank", fe.MelFilterbank, fe.NMels, bins), power]);

        // 6. The row's own frames, 1 + kept / HopLength of the T: [N, 1, T].
        string t = g.Node("Shape", [mel], [Attr.Int("start", 2), Attr.Int("end", 3)]);
        string rowFrames = g.Node("Unsqueeze", [
            g.Node("Min", [g.Node("Add", [g.Node("Div", [kept, g.AddInt64Scalar("hop", fe.HopLength)]), one]), t]),
            g.AddInt64("axis2", [2]),
        ]);
        string frameIndex = g.Node("Range", [zero, g.Node("Squeeze", [t, g.AddInt64("axis0", [0])]), one]);
        string validFrame = g.Node("Less", [frameIndex, rowFrames]);

        // 7. power_to_db(ref = max over the row's frames, amin, top_db).
        string amin = g.AddScalar("amin", fe.Amin);
        string tenOverLn10 = g.AddScalar("ten_over_ln10", TenOverLn10);
        string db = g.Node("Mul", [g.Node("Log", [g.Node("Max", [mel, amin])]), tenOverLn10]);
        string reference = g.Node("ReduceMax", [g.Node("Where", [validFrame, mel, g.AddScalar("zero_f", 0f)])], ReduceOverBandsAndFrames());
        string referenceDb = g.Node("Mul", [g.Node("Log", [g.Node("Max", [reference, amin])]), tenOverLn10]);
        db = g.Node("Sub", [db, referenceDb]);
        if (fe.TopDb is float topDb)
        {
            string loudest = g.Node("ReduceMax", [g.Node("Where", [validFrame, db, g.AddScalar("lowest", float.MinValue)])], ReduceOverBandsAndFrames());
            db = g.Node("Max", [db, g.Node("Sub", [loudest, g.AddScalar("top_db", topDb)])]);
        }

        return new Decibels(db, rowFrames, validFrame);
    }

    /// <summary>Appends steps 9 and 10: the normalisation and the channel axis the CNN takes.</summary>
    /// <param name="g">The graph.</param>
    /// <param name="fe">The front end.</param>
    /// <param name="frames">Name of the <c>[N, NMels, Frames]</c> fixed-length dB values.</param>
    /// <param name="output">Name to give the <c>[N, 1, NMels, Frames]</c> result, or null for a fresh one.</param>
    /// <returns>The result's name.</returns>
    public static string AppendNormalised(OnnxGraphBuilder g, FrontEndDescription fe, string frames, string? output = null)
    {
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

        // 10. Channel axis for the CNN: [N, 1, M, Frames].
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

    private static string AppendFixedLength(OnnxGraphBuilder g, FrontEndDescription fe, Decibels decibels)
    {
        (string db, string rowFrames, _) = decibels;
        long f = fe.Frames;
        // Crop offset per row, [N, 1, 1]: 0, or the excess over Frames (halved for centre alignment).
        string start;
        if (fe.CropAlignment == CropAlignment.Start)
        {
            start = g.Node("Mul", [rowFrames, g.AddInt64Scalar("zero", 0)]);
        }
        else
        {
            string excess = g.Node("Max", [g.Node("Sub", [rowFrames, g.AddInt64("frames", [f])]), g.AddInt64("zero", [0])]);
            start = fe.CropAlignment == CropAlignment.Center
                ? g.Node("Div", [excess, g.AddInt64("two", [2])])
                : excess;
        }
        // Pad Frames columns at the end (values replaced below), then take Frames columns from each row's offset:
        // indices [N, 1, Frames] + zeros [1, M, 1] = [N, M, Frames].
        string padded = g.Node("Pad", [db, g.AddInt64("length_pads", [0, 0, 0, 0, 0, f])], [Attr.String("mode", "constant")]);
        string frameIndex = g.AddInt64("frame_index", Range(f));
        string columns = g.Node("Add", [g.Node("Add", [start, frameIndex]), g.AddInt64("band_zeros", new long[fe.NMels], 1, fe.NMels, 1)]);
        string cropped = g.Node("GatherElements", [padded, columns], [Attr.Int("axis", 2)]);
        // Columns at or past the row's last frame take its minimum (its dB floor).
        string valid = g.Node("Less", [frameIndex, g.Node("Sub", [rowFrames, start])]);
        return g.Node("Where", [valid, cropped, AppendFloor(g, decibels)]);
    }

    /// <summary>Each row's minimum dB over its own frames (its floor, the value padding takes): <c>[N, 1, 1]</c>.</summary>
    /// <param name="g">The graph.</param>
    /// <param name="decibels">The dB values.</param>
    /// <returns>The minimum's name.</returns>
    public static string AppendFloor(OnnxGraphBuilder g, Decibels decibels) =>
        g.Node("ReduceMin", [g.Node("Where", [decibels.ValidFrame, decibels.Db, g.AddScalar("highest", float.MaxValue)])], ReduceOverBandsAndFrames());

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

/// <summary>The log-Mel of each row before the fixed-length step (<see cref="LogMelGraph.AppendDecibels"/>).</summary>
/// <param name="Db">Name of the float32 <c>[N, NMels, T]</c> dB values, T the frames of the longest row.</param>
/// <param name="RowFrames">Name of the int64 <c>[N, 1, 1]</c> frames of each row's kept samples, <c>1 + kept / HopLength</c> (at most T).</param>
/// <param name="ValidFrame">Name of the bool <c>[N, 1, T]</c> mask of each row's own frames.</param>
internal sealed record Decibels(string Db, string RowFrames, string ValidFrame);
