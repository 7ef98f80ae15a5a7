using SerMlNet.Audio.Trimming;
using SerMlNet.Onnx.Graph;

namespace SerMlNet.Onnx.Export;

/// <summary>
/// Builds <c>librosa.effects.trim</c> (the semantics of SerMlNet.Audio's <see cref="SilenceTrimmer"/>) as ONNX opset-17
/// nodes over a float32 <c>[N, samples]</c> PCM value whose row <c>n</c> holds <c>length[n]</c> valid samples, without
/// control flow:
/// <list type="bullet">
/// <item>squares of the valid samples in float64 (the tail past each row's length reads as zeros), zero-padded by
/// <c>FrameLength / 2</c> on each side (librosa's centred <c>feature.rms</c>);</item>
/// <item>frame energies as differences of one exclusive <c>CumSum</c> (float64) gathered at <c>t HopLength</c> and
/// <c>t HopLength + FrameLength</c>: any frame and hop lengths, one pass;</item>
/// <item>frames past a row's own frame count <c>1 + (length + 2 (FrameLength / 2) − FrameLength) / HopLength</c> are
/// masked out, so the loudest frame (<c>ref = max</c>) is that row's;</item>
/// <item>a frame is non-silent iff <c>max(amin², ms) &gt; max(amin², max ms) · 10^(−TopDb / 10)</c>, the linear form of
/// <c>amplitude_to_db(rms, ref = max) &gt; −TopDb</c> (<c>amin</c> = <see cref="SilenceTrimmer.AmplitudeFloor"/>);</item>
/// <item><c>ArgMax</c> over the mask (first index, then <c>select_last_index</c>) gives the first and last non-silent
/// frames: start <c>= min(length, first HopLength)</c>, end <c>= min(length, (last + 1) HopLength)</c>, [0, 0) when
/// none is.</item>
/// </list>
/// Stateless.
/// </summary>
internal static class TrimGraph
{
    /// <summary>Appends the trim analysis.</summary>
    /// <param name="g">The graph.</param>
    /// <param name="trim">The trimming parameters (validated).</param>
    /// <param name="pcm">Name of the <c>[N, S]</c> float32 samples.</param>
    /// <param name="length">Name of the <c>[N, 1]</c> int64 valid samples per row, in [0, S].</param>
    /// <param name="samples">Name of the <c>[1]</c> int64 S.</param>
    /// <returns>Names of the <c>[N, 1]</c> int64 start of the kept interval and its length in samples.</returns>
    public static (string Start, string Kept) Append(OnnxGraphBuilder g, TrimOptions trim, string pcm, string length, string samples)
    {
        long frameLength = trim.FrameLength, hop = trim.HopLength, half = frameLength / 2;
        string zero = g.AddInt64Scalar("trim_zero", 0);
        string one = g.AddInt64Scalar("trim_one", 1);

        // 1. Squares of the valid samples, float64: [N, S].
        string sampleIndex = g.Node("Range", [zero, g.Node("Squeeze", [samples, g.AddInt64("trim_axis0", [0])]), one]);
        string validSample = g.Node("Less", [sampleIndex, length]);
        string x = g.Node("Cast", [g.Node("Where", [validSample, pcm, g.AddScalar("trim_zero_f", 0f)])], [Attr.Int("to", (long)global::Onnx.TensorProto.Types.DataType.Double)]);
        string squares = g.Node("Mul", [x, x]);

        // 2. Centre padding (zeros) plus one trailing zero, exclusive cumulative sum: c[k] = sum of the first k padded squares.
        string padded = g.Node("Pad", [squares, g.AddInt64("trim_pads", [0, half, 0, half + 1])], [Attr.String("mode", "constant")]);
        string cumulative = g.Node("CumSum", [padded, one], [Attr.Int("exclusive", 1)]);

        // 3. Frame mean squares for every frame of the longest row: [N, T], T = 1 + (S + 2 half - FrameLength) / hop.
        string frameCount = FrameCount(g, samples, 2 * half - frameLength, hop);
        string frameIndex = g.Node("Range", [zero, g.Node("Squeeze", [frameCount, g.AddInt64("trim_axis0", [0])]), one]);
        string frameStart = g.Node("Mul", [frameIndex, g.AddInt64Scalar("trim_hop", hop)]);
        string frameEnd = g.Node("Add", [frameStart, g.AddInt64Scalar("trim_frame_length", frameLength)]);
        string energy = g.Node("Sub", [
            g.Node("Gather", [cumulative, frameEnd], [Attr.Int("axis", 1)]),
            g.Node("Gather", [cumulative, frameStart], [Attr.Int("axis", 1)]),
        ]);
        string meanSquare = g.Node("Div", [energy, g.AddDoubleScalar("trim_frame_length_d", frameLength)]);

        // 4. This row's frames only; its loudest frame is the reference.
        string validFrame = g.Node("Less", [frameIndex, FrameCount(g, length, 2 * half - frameLength, hop)]);
        string zeroD = g.AddDoubleScalar("trim_zero_d", 0);
        string loudest = g.Node("ReduceMax", [g.Node("Where", [validFrame, meanSquare, zeroD])], [Attr.Ints("axes", 1), Attr.Int("keepdims", 1)]);
        string floor = g.AddDoubleScalar("trim_amin_squared", SilenceTrimmer.AmplitudeFloor * SilenceTrimmer.AmplitudeFloor);
        string threshold = g.Node("Mul", [g.Node("Max", [loudest, floor]), g.AddDoubleScalar("trim_top_db_ratio", Math.Pow(10, -trim.TopDb / 10))]);
        string nonSilent = g.Node("And", [validFrame, g.Node("Greater", [g.Node("Max", [meanSquare, floor]), threshold])]);

        // 5. First and last non-silent frame -> [start, end) in samples, [0, 0) when there is none.
        string mask = g.Node("Cast", [nonSilent], [Attr.Int("to", (long)global::Onnx.TensorProto.Types.DataType.Float)]);
        string first = g.Node("ArgMax", [mask], [Attr.Int("axis", 1), Attr.Int("keepdims", 1), Attr.Int("select_last_index", 0)]);
        string last = g.Node("ArgMax", [mask], [Attr.Int("axis", 1), Attr.Int("keepdims", 1), Attr.Int("select_last_index", 1)]);
        string any = g.Node("Greater", [g.Node("ReduceMax", [mask], [Attr.Ints("axes", 1), Attr.Int("keepdims", 1)]), g.AddScalar("trim_half_f", 0.5f)]);
        string hopConst = g.AddInt64Scalar("trim_hop", hop);
        string start = g.Node("Min", [g.Node("Mul", [first, hopConst]), length]);
        string end = g.Node("Min", [g.Node("Mul", [g.Node("Add", [last, one]), hopConst]), length]);
        start = g.Node("Where", [any, start, zero]);
        string kept = g.Node("Where", [any, g.Node("Max", [g.Node("Sub", [end, start]), zero]), zero]);
        return (start, kept);
    }

    /// <summary><c>max(0, count + offset + hop) / hop</c>: librosa's frame count <c>1 + (count + offset) / hop</c>, 0 when the padded signal is shorter than a frame.</summary>
    private static string FrameCount(OnnxGraphBuilder g, string count, long offset, long hop) =>
        g.Node("Div", [
            g.Node("Max", [g.Node("Add", [count, g.AddInt64Scalar("trim_offset", offset + hop)]), g.AddInt64Scalar("trim_zero", 0)]),
            g.AddInt64Scalar("trim_hop", hop),
        ]);
}
