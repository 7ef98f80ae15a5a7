namespace SerMlNet.Onnx;

/// <summary>How the in-graph front end standardises the fixed-length dB matrix before the CNN.</summary>
public enum FeatureNormalisation
{
    /// <summary>No normalisation: the CNN sees dB values relative to the clip maximum.</summary>
    None,

    /// <summary>
    /// Per utterance: <c>(x - mean) / (std + NormalisationEpsilon)</c> with mean and population standard deviation
    /// (ddof 0) over all values of one example's <c>[NMels, Frames]</c> matrix.
    /// </summary>
    Utterance,

    /// <summary>
    /// Per Mel band with statistics fitted on the training set (SerMlNet.Audio's <c>BandStatistics</c>):
    /// <c>(x[m, t] - BandMean[m]) / (BandStd[m] + NormalisationEpsilon)</c>.
    /// </summary>
    PerBand,
}
