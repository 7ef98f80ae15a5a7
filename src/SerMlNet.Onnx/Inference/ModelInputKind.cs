namespace SerMlNet.Onnx;

/// <summary>What a model is fed.</summary>
public enum ModelInputKind
{
    /// <summary>Log-Mel features <c>[N, 1, n_mels, frames]</c> (<c>model.onnx</c>): the caller runs the front end.</summary>
    LogMel,

    /// <summary>Raw mono float PCM <c>[N, samples]</c> at the model's sample rate (<c>model-e2e.onnx</c>): the front end is in the graph.</summary>
    Pcm,
}
