using SerMlNet.Pipeline.Composition;
using SerMlNet.Pipeline.Stages;

namespace SerMlNet.Onnx.Recognition;

/// <summary>
/// Where the stages that inference cares about sit in a fitted chain: the <c>logMel</c> stage, the <c>fixedLength</c>
/// stage after it, and the stages after that. Built once per recognizer; immutable and thread-safe.
/// </summary>
internal sealed class ChainLayout
{
    private ChainLayout(TransformerChain chain, int logMelIndex, int fixedLengthIndex)
    {
        Chain = chain;
        LogMelIndex = logMelIndex;
        FixedLengthIndex = fixedLengthIndex;
        LogMel = (LogMelStage)chain[logMelIndex];
        FixedLength = (FixedLengthStage)chain[fixedLengthIndex];
        BeforeLogMel = new TransformerChain(chain.Take(logMelIndex));
        BeforeFixedLength = new TransformerChain(chain.Take(fixedLengthIndex));
        AfterFixedLength = new TransformerChain(chain.Skip(fixedLengthIndex + 1));
    }

    /// <summary>The whole chain.</summary>
    public TransformerChain Chain { get; }

    /// <summary>Index of the (first) <c>logMel</c> stage.</summary>
    public int LogMelIndex { get; }

    /// <summary>Index of the first <c>fixedLength</c> stage after <see cref="LogMelIndex"/>.</summary>
    public int FixedLengthIndex { get; }

    /// <summary>The <c>logMel</c> stage.</summary>
    public LogMelStage LogMel { get; }

    /// <summary>The <c>fixedLength</c> stage.</summary>
    public FixedLengthStage FixedLength { get; }

    /// <summary>Frames the network sees (<see cref="FixedLengthStage"/>'s <c>Frames</c>).</summary>
    public int Frames => FixedLength.Options.Frames;

    /// <summary>Mel bands (<c>logMel.nMels</c>).</summary>
    public int NMels => LogMel.Options.NMels;

    /// <summary>Hop between frames in samples (<c>logMel.hopLength</c>).</summary>
    public int HopLength => LogMel.Options.HopLength;

    /// <summary>Sample rate of the features in Hz (<c>logMel.sampleRate</c>).</summary>
    public int SampleRate => LogMel.Options.SampleRate;

    /// <summary>Stages before <c>logMel</c>: decoding, resampling, trimming (and inert augmentations).</summary>
    public TransformerChain BeforeLogMel { get; }

    /// <summary>Stages before <c>fixedLength</c>: everything that turns a clip into its variable-length features.</summary>
    public TransformerChain BeforeFixedLength { get; }

    /// <summary>Stages after <c>fixedLength</c> (normalisation, inert augmentations, custom stages).</summary>
    public TransformerChain AfterFixedLength { get; }

    /// <summary>Finds the stages, or says what is missing.</summary>
    /// <param name="chain">A fitted chain.</param>
    /// <param name="layout">The layout when found.</param>
    /// <param name="problem">What is missing, when not found.</param>
    /// <returns>Whether the chain has a <c>logMel</c> stage followed by a <c>fixedLength</c> stage.</returns>
    public static bool TryAnalyse(TransformerChain chain, out ChainLayout? layout, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(chain);
        layout = null;
        int logMel = -1;
        for (int i = 0; i < chain.Count && logMel < 0; i++)
        {
            if (chain[i] is LogMelStage)
            {
                logMel = i;
            }
        }
        if (logMel < 0)
        {
            problem = $"the pipeline has no '{LogMelStage.TypeName}' stage (stages: {Describe(chain)})";
            return false;
        }
        int fixedLength = -1;
        for (int i = logMel + 1; i < chain.Count && fixedLength < 0; i++)
        {
            if (chain[i] is FixedLengthStage)
            {
                fixedLength = i;
            }
        }
        if (fixedLength < 0)
        {
            problem = $"the pipeline has no '{FixedLengthStage.TypeName}' stage after '{LogMelStage.TypeName}' (stages: {Describe(chain)})";
            return false;
        }
        layout = new ChainLayout(chain, logMel, fixedLength);
        problem = null;
        return true;
    }

    /// <summary>The stage types in order, e.g. <c>loadAudio, trim, logMel</c>.</summary>
    /// <param name="chain">The chain.</param>
    /// <returns>The list.</returns>
    public static string Describe(TransformerChain chain) =>
        chain.Count == 0 ? "none" : string.Join(", ", chain.Select(s => s.StageType));
}
