using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using SerMlNet.Audio;
using SerMlNet.Audio.Resampling;
using SerMlNet.Audio.Wav;

namespace SerMlNet.ML.Saving;

/// <summary>
/// The first stage of a saved emotion model: a <c>CustomMapping</c> (contract <see cref="ContractName"/>) from a WAV
/// path to the clip's mono PCM at <see cref="SampleRate"/>, decoded and resampled by the same code as the recogniser's
/// <c>loadAudio</c> stage (<see cref="WavFile.Read(string)"/>: any PCM or float WAV, channels averaged; then
/// <see cref="Resampler"/> when the rate differs). ML.NET creates the factory by its contract name, without state,
/// which is why the rate is part of the name: everything fitted lives in the ONNX graph that follows.
/// Thread-safe.
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class WavDecoding : CustomMappingFactory<WavDecoding.PathRow, WavDecoding.PcmRow>
{
    /// <summary>The contract name saved in the model.</summary>
    public const string ContractName = "SerMlNet.DecodeWav16k";

    /// <summary>Rate of the PCM this mapping yields, in Hz.</summary>
    public const int SampleRate = 16000;

    /// <summary>Decodes one row.</summary>
    /// <param name="input">The WAV path.</param>
    /// <param name="output">Receives the samples; an empty file gives one zero sample (one padded frame, as the recogniser does).</param>
    /// <exception cref="IOException">The file is missing or unreadable.</exception>
    /// <exception cref="WavFormatException">The file is not a WAV file this library decodes.</exception>
    public static void Decode(PathRow input, PcmRow output)
    {
        string path = input.Path ?? throw new ArgumentException($"the '{EmotionModelZip.PathColumn}' column holds a missing value", nameof(input));
        AudioSignal audio = WavFile.Read(System.IO.Path.GetFullPath(path));
        float[] samples = audio.SampleRate == SampleRate ? audio.Samples : new Resampler(audio.SampleRate, SampleRate).Process(audio.Samples);
        output.Pcm = samples.Length == 0 ? new float[1] : samples;
    }

    /// <inheritdoc />
    public override Action<PathRow, PcmRow> GetMapping() => Decode;

    /// <summary>The input row: one WAV path.</summary>
    public sealed class PathRow
    {
        /// <summary>A WAV file of any rate, mono or stereo.</summary>
        [ColumnName(EmotionModelZip.PathColumn)]
        public string? Path { get; set; }
    }

    /// <summary>The output row: the decoded samples.</summary>
    public sealed class PcmRow
    {
        /// <summary>Mono samples at <see cref="SampleRate"/>, variable length.</summary>
        [VectorType]
        [ColumnName(EmotionModelZip.PcmColumn)]
        public float[] Pcm { get; set; } = [];
    }
}
