namespace SerMlNet.Onnx;

/// <summary>
/// A CNN over log-Mel spectrograms: its layers in order and the input geometry. The input is
/// <c>[N, 1, NMels, Frames]</c>; the layers must end in a <c>[N, classes]</c> tensor of logits.
/// </summary>
/// <param name="Layers">The layers, applied in order.</param>
/// <param name="NMels">Mel bands of the input (height); at least 1.</param>
/// <param name="Frames">Frames of the input (width); at least 1.</param>
public sealed record CnnDescription(IReadOnlyList<CnnLayer> Layers, int NMels, int Frames);
