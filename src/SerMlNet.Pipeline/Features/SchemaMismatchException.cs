using SerMlNet.Audio;

namespace SerMlNet.Pipeline.Features;

/// <summary>Data of the wrong shape for the front end or the model: audio at another rate, features with another number of bands or frames.</summary>
/// <param name="message">What was expected and what came.</param>
public sealed class SchemaMismatchException(string message) : SerMlNetException(message);
