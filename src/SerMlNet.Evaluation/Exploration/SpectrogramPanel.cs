using SerMlNet.Audio;

namespace SerMlNet.Evaluation.Exploration;

/// <summary>One log-Mel spectrogram to draw (<see cref="Figures.ExplorationFigures.Spectrograms"/>). Immutable by convention.</summary>
/// <param name="Title">Panel heading, e.g. <c>angry (strong), actor 03, statement 1</c>.</param>
/// <param name="Matrix">The log-Mel spectrogram in dB, bands × frames.</param>
/// <param name="SecondsPerFrame">Hop between frames in seconds (hop length / sample rate; 160 samples at 16 kHz = 0.01 s); positive.</param>
public sealed record SpectrogramPanel(string Title, FeatureMatrix Matrix, double SecondsPerFrame);
