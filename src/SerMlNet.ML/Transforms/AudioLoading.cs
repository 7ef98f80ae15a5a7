using Microsoft.ML;
using Microsoft.ML.Data;
using SerMlNet.Audio;
using SerMlNet.Audio.Resampling;
using SerMlNet.Audio.Wav;

namespace SerMlNet.ML.Transforms;

/// <summary>Options of <see cref="AudioLoadingEstimator"/>.</summary>
public sealed record AudioLoadingOptions
{
    /// <summary>Rate every clip is resampled to, in Hz; default 16000. Must be in [1000, 384000].</summary>
    public int SampleRate { get; init; } = 16000;

    /// <summary>Checks every field.</summary>
    /// <exception cref="OptionsValidationException">A field is out of range.</exception>
    public void Validate()
    {
        var errors = new ValidationErrors(nameof(AudioLoadingOptions));
        errors.Require(SampleRate is >= 1000 and <= 384000, $"SampleRate must be in [1000, 384000] Hz (was {SampleRate})");
        errors.ThrowIfAny();
    }
}

/// <summary>
/// Estimator of <see cref="AudioLoadingTransformer"/>: reads the WAV file named in a text column. Stateless: fitting
/// only checks the schema. Reached as <c>mlContext.Transforms.LoadAudio</c>.
/// </summary>
public sealed class AudioLoadingEstimator : StatelessAudioEstimator<AudioLoadingTransformer>
{
    /// <summary>Creates the estimator.</summary>
    /// <param name="outputColumnName">The audio column to add.</param>
    /// <param name="inputColumnName">The text column holding WAV file paths.</param>
    /// <param name="options">Options; validated here.</param>
    /// <exception cref="OptionsValidationException">An option is out of range.</exception>
    public AudioLoadingEstimator(string outputColumnName, string inputColumnName, AudioLoadingOptions options)
        : base(new AudioLoadingTransformer(outputColumnName, inputColumnName, options))
    {
    }

    /// <inheritdoc />
    /// <exception cref="AudioColumnException">The input column is missing or not text.</exception>
    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        SchemaShapes.RequireScalar(inputSchema, Transformer.InputColumnName, TextDataViewType.Instance, AudioLoadingTransformer.StageName, "text (a WAV file path)");
        return SchemaShapes.With(inputSchema, Transformer.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single));
    }

}

/// <summary>
/// Decodes the WAV file named in a text column (any PCM or float format; channels averaged to mono) and resamples it to
/// <see cref="AudioLoadingOptions.SampleRate"/>. Output: a variable-length <see cref="float"/> vector of samples in
/// [-1, 1] with the <see cref="AudioAnnotations.SampleRate"/> annotation. A missing file raises
/// <see cref="FileNotFoundException"/>, a bad one <see cref="WavFormatException"/>, when its row is read.
/// Immutable and thread-safe.
/// </summary>
public sealed class AudioLoadingTransformer : AudioTransformerBase
{
    internal const string StageName = "LoadAudio";

    internal AudioLoadingTransformer(string outputColumnName, string inputColumnName, AudioLoadingOptions options)
        : base(StageName, outputColumnName, inputColumnName)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The options.</summary>
    public AudioLoadingOptions Options { get; }

    private protected override (DataViewType Type, DataViewSchema.Annotations Annotations) DescribeOutput(DataViewSchema inputSchema, DataViewSchema.Column input)
    {
        RequireScalar(inputSchema, input.Name, TextDataViewType.Instance, "text (a WAV file path)");
        return (new VectorDataViewType(NumberDataViewType.Single), AudioAnnotations.Int32(AudioAnnotations.SampleRate, Options.SampleRate));
    }

    private protected override RowMapper CreateMapper(DataViewRow row, DataViewSchema.Column output) =>
        new Mapper(PathGetter(row), Options.SampleRate);

    private ValueGetter<ReadOnlyMemory<char>> PathGetter(DataViewRow row) => row.GetGetter<ReadOnlyMemory<char>>(row.Schema[InputColumnName]);

    private sealed class Mapper(ValueGetter<ReadOnlyMemory<char>> path, int sampleRate) : RowMapper
    {
        private ReadOnlyMemory<char> _path;

        public override ReadOnlyMemory<float> Map()
        {
            path(ref _path);
            if (_path.IsEmpty)
            {
                throw new AudioColumnException($"{StageName}: a row has an empty path");
            }
            return Decode(_path.ToString(), sampleRate);
        }
    }

    /// <summary>One WAV file's mono samples at <paramref name="sampleRate"/>: decoded, channels averaged, resampled when the rate differs.</summary>
    /// <param name="path">The WAV file.</param>
    /// <param name="sampleRate">The output rate in Hz.</param>
    /// <returns>The samples (a new array).</returns>
    internal static float[] Decode(string path, int sampleRate)
    {
        AudioSignal signal = WavFile.Read(path);
        // Cheap to create: Resampler caches its filter tables per rate ratio.
        return signal.SampleRate == sampleRate ? signal.Samples : new Resampler(signal.SampleRate, sampleRate).Process(signal.Samples);
    }
}
