using SerMlNet.Onnx.Recognition;

namespace SerMlNet.Serving.Endpoints;

/// <summary>What every endpoint reads: the recognizer, the scoring gate and the options. Immutable; thread-safe.</summary>
/// <param name="Recognizer">The recognizer.</param>
/// <param name="Gate">Bounds how many requests decode and score at once.</param>
/// <param name="Streams">Bounds how many <c>/v1/stream</c> requests run at once.</param>
/// <param name="Options">The service's options.</param>
internal sealed record ServiceContext(EmotionRecognizer Recognizer, ScoringGate Gate, ScoringGate Streams, ServeOptions Options);
