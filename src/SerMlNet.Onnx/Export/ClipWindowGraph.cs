using SerMlNet.Audio.Normalisation;
using SerMlNet.Onnx.Graph;

namespace SerMlNet.Onnx.Export;

/// <summary>
/// Builds the recogniser's windowing of one whole clip (<c>EmotionRecognizer</c> with a log-Mel model: its
/// <c>WindowPlan</c> over frames) as ONNX opset-17 nodes, without control flow, on the log-Mel of one row
/// (<see cref="LogMelGraph.AppendDecibels"/> with N = 1), for a clip of <c>T</c> frames and windows of
/// <c>L = Frames</c>:
/// <list type="bullet">
/// <item><c>2 T ≤ 3 L</c> (at most 1.5 windows): one window, cropped or padded exactly as the fixed-length step does
/// (<see cref="FrontEndDescription.CropAlignment"/>; columns past the clip take its minimum dB);</item>
/// <item>longer: <c>ceil((T − L) / H) + 1</c> windows of <c>L</c> frames, <c>H = max(1, L / 2)</c>, window <c>i</c>
/// starting at <c>min(i H, T − L)</c> (the last one aligned to the end), cut from the clip's dB values, so every window
/// is relative to the clip's loudest frame.</item>
/// </list>
/// Both cases are one gather: per window a start (the crop offset when single), <c>L</c> columns from it out of the dB
/// values padded by <c>L</c> columns, and the clip's minimum wherever a column is past its frames. Stateless.
/// </summary>
internal static class ClipWindowGraph
{
    /// <summary>Appends the windows.</summary>
    /// <param name="g">The graph.</param>
    /// <param name="fe">The front end (its <see cref="FrontEndDescription.Frames"/> and crop alignment).</param>
    /// <param name="decibels">The clip's dB values, <c>[1, NMels, T]</c>.</param>
    /// <returns>Name of the float32 <c>[W, NMels, Frames]</c> windows, in time order.</returns>
    public static string Append(OnnxGraphBuilder g, FrontEndDescription fe, Decibels decibels)
    {
        long length = fe.Frames, hop = Math.Max(1, length / 2);
        string zero = g.AddInt64Scalar("clip_zero", 0);
        string one = g.AddInt64Scalar("clip_one", 1);
        string frames = g.Node("Reshape", [decibels.RowFrames, g.AddInt64("clip_shape_1", [1])]);
        string excess = g.Node("Sub", [frames, g.AddInt64("clip_length", [length])]);

        // One window when 2 T <= 3 L (WindowPlan.IsSingle), else ceil((T - L) / H) + 1: [1].
        string single = g.Node("LessOrEqual", [g.Node("Mul", [frames, g.AddInt64("clip_two", [2])]), g.AddInt64("clip_single_limit", [3 * length])]);
        string multiCount = g.Node("Add", [g.Node("Div", [g.Node("Add", [excess, g.AddInt64("clip_hop_minus_one", [hop - 1])]), g.AddInt64("clip_hop", [hop])]), g.AddInt64("clip_one_1d", [1])]);
        string count = g.Node("Where", [single, g.AddInt64("clip_one_1d", [1]), multiCount]);

        // Starts, [W]: min(i H, T - L), or the crop offset of the single window.
        string index = g.Node("Range", [zero, g.Node("Squeeze", [count, g.AddInt64("clip_axis0", [0])]), one]);
        string multiStarts = g.Node("Min", [g.Node("Mul", [index, g.AddInt64Scalar("clip_hop", hop)]), excess]);
        string positiveExcess = g.Node("Max", [excess, g.AddInt64("clip_zero_1d", [0])]);
        string cropStart = fe.CropAlignment switch
        {
            CropAlignment.Start => g.AddInt64("clip_zero_1d", [0]),
            CropAlignment.Center => g.Node("Div", [positiveExcess, g.AddInt64("clip_two", [2])]),
            _ => positiveExcess,
        };
        string starts = g.Node("Where", [single, cropStart, multiStarts]);

        // Columns [W, L] out of the dB values padded by L columns: [1, M, T + L] -> [1, M, W, L].
        var offsets = new long[length];
        for (int j = 0; j < offsets.Length; j++)
        {
            offsets[j] = j;
        }
        string columns = g.Node("Add", [g.Node("Unsqueeze", [starts, g.AddInt64("clip_axis1", [1])]), g.AddInt64("clip_offsets", offsets)]);
        string padded = g.Node("Pad", [decibels.Db, g.AddInt64("clip_pads", [0, 0, 0, 0, 0, length])], [Attr.String("mode", "constant")]);
        string gathered = g.Node("Gather", [padded, columns], [Attr.Int("axis", 2)]);

        // Columns past the clip's frames take its minimum (only a single, short window has any).
        string inside = g.Node("Less", [columns, frames]);
        string windows = g.Node("Where", [inside, gathered, LogMelGraph.AppendFloor(g, decibels)]);

        // [1, M, W, L] -> [W, M, L].
        string squeezed = g.Node("Squeeze", [windows, g.AddInt64("clip_axis0", [0])]);
        return g.Node("Transpose", [squeezed], [Attr.Ints("perm", 1, 0, 2)]);
    }
}
