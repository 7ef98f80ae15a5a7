using System.Text.Json;
using System.Text.Json.Serialization;
using SerMlNet.Audio.Io;

namespace SerMlNet.Audio.Normalisation;

/// <summary>
/// Dataset statistics per feature row (Mel band): the mean and population standard deviation of every value of that
/// band over all frames of all matrices fitted (the training split). <see cref="Apply(FeatureMatrix)"/> standardises
/// each band with them: <c>(x - mean[b]) / (std[b] + Epsilon)</c>. Fit with <see cref="Accumulator"/> (streaming,
/// Welford/Chan updates in double precision). Saved as JSON with format name and version. Immutable and thread-safe.
/// </summary>
public sealed class BandStatistics
{
    /// <summary>Format name written to and required in saved files.</summary>
    public const string FormatName = "sermlnet.band-statistics";

    /// <summary>Format version written to and accepted from saved files.</summary>
    public const int FormatVersion = 1;

    /// <summary>Added to each standard deviation before dividing, 1e-8.</summary>
    public const double Epsilon = 1e-8;

    private readonly double[] _mean;
    private readonly double[] _std;

    /// <summary>Creates statistics from known values.</summary>
    /// <param name="mean">Per-band means.</param>
    /// <param name="std">Per-band standard deviations (non-negative), same length as <paramref name="mean"/>.</param>
    /// <param name="count">Number of values (frames) per band they were computed from.</param>
    public BandStatistics(IReadOnlyList<double> mean, IReadOnlyList<double> std, long count)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Count != std.Count || mean.Count == 0)
        {
            throw new ArgumentException($"mean ({mean.Count}) and std ({std.Count}) must have the same, non-zero length");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _mean = [.. mean];
        _std = [.. std];
        foreach (double s in _std)
        {
            if (!(s >= 0) || double.IsInfinity(s))
            {
                throw new ArgumentException($"standard deviations must be finite and non-negative (found {s})", nameof(std));
            }
        }
        Count = count;
    }

    /// <summary>Number of bands (rows) these statistics apply to.</summary>
    public int Bands => _mean.Length;

    /// <summary>Values per band the statistics were fitted on.</summary>
    public long Count { get; }

    /// <summary>Per-band means.</summary>
    public IReadOnlyList<double> Mean => _mean;

    /// <summary>Per-band population standard deviations.</summary>
    public IReadOnlyList<double> Std => _std;

    /// <summary>Fits statistics over a sequence of matrices (e.g. the training split), streaming.</summary>
    /// <param name="matrices">Matrices with equal row counts; at least one frame in all.</param>
    /// <returns>The fitted statistics.</returns>
    public static BandStatistics Fit(IEnumerable<FeatureMatrix> matrices)
    {
        ArgumentNullException.ThrowIfNull(matrices);
        Accumulator? accumulator = null;
        foreach (FeatureMatrix m in matrices)
        {
            accumulator ??= new Accumulator(m.Rows);
            accumulator.Add(m);
        }
        return (accumulator ?? throw new ArgumentException("no matrices to fit", nameof(matrices))).ToStatistics();
    }

    /// <summary>Standardises each band of a matrix into a new one.</summary>
    /// <param name="matrix">A matrix with <see cref="Bands"/> rows.</param>
    /// <returns>The standardised matrix.</returns>
    public FeatureMatrix Apply(FeatureMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var result = new FeatureMatrix(matrix.Rows, matrix.Columns);
        Apply(matrix.Data, matrix.Columns, result.Data);
        return result;
    }

    /// <summary>Standardises a row-major [Bands, columns] block into <paramref name="destination"/> (may be the same memory).</summary>
    /// <param name="input">Row-major values, <c>Bands * columns</c> long.</param>
    /// <param name="columns">Frames per band.</param>
    /// <param name="destination">Output, same length.</param>
    public void Apply(ReadOnlySpan<float> input, int columns, Span<float> destination)
    {
        if (columns > 0 && input.Length / columns != Bands)
        {
            throw new ArgumentException($"input has {input.Length / columns} bands, these statistics {Bands}", nameof(input));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (input.Length != Bands * columns || destination.Length != input.Length)
        {
            throw new ArgumentException($"input and destination must hold {Bands} x {columns} values");
        }
        for (int b = 0; b < Bands; b++)
        {
            double mean = _mean[b];
            double scale = 1.0 / (_std[b] + Epsilon);
            ReadOnlySpan<float> src = input.Slice(b * columns, columns);
            Span<float> dst = destination.Slice(b * columns, columns);
            for (int t = 0; t < columns; t++)
            {
                dst[t] = (float)((src[t] - mean) * scale);
            }
        }
    }

    /// <summary>Writes the statistics as JSON, atomically.</summary>
    /// <param name="path">Destination file.</param>
    public void Save(string path)
    {
        var dto = new Dto { Format = FormatName, Version = FormatVersion, Count = Count, Mean = _mean, Std = _std };
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, dto, DtoContext.Default.Dto), flushToDisk: true);
    }

    /// <summary>Reads statistics written by <see cref="Save"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="InvalidFileException">The file is not a band-statistics file of a known version.</exception>
    public static BandStatistics Load(string path)
    {
        using FileStream stream = File.OpenRead(path);
        Dto? dto;
        try
        {
            dto = JsonSerializer.Deserialize(stream, DtoContext.Default.Dto);
        }
        catch (JsonException ex)
        {
            throw new InvalidFileException($"{path}: not a band-statistics JSON file ({ex.Message})", ex);
        }
        if (dto is null || dto.Format != FormatName || dto.Version != FormatVersion || dto.Mean is null || dto.Std is null)
        {
            throw new InvalidFileException($"{path}: expected format '{FormatName}' version {FormatVersion}");
        }
        return new BandStatistics(dto.Mean, dto.Std, dto.Count);
    }

    /// <summary>
    /// Streaming fit of <see cref="BandStatistics"/>: add matrices one by one (or merge accumulators filled on
    /// different threads), then call <see cref="ToStatistics"/>. Uses Chan's parallel update of Welford's mean and
    /// sum of squared deviations, in double precision. Not thread-safe: use one per thread and <see cref="Merge"/>.
    /// </summary>
    public sealed class Accumulator
    {
        private readonly double[] _mean;
        private readonly double[] _m2;

        /// <summary>Creates an empty accumulator for <paramref name="bands"/> rows.</summary>
        /// <param name="bands">Number of bands; positive.</param>
        public Accumulator(int bands)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bands);
            _mean = new double[bands];
            _m2 = new double[bands];
        }

        /// <summary>Number of bands.</summary>
        public int Bands => _mean.Length;

        /// <summary>Values (frames) added per band so far.</summary>
        public long Count { get; private set; }

        /// <summary>Adds every frame of a matrix.</summary>
        /// <param name="matrix">A matrix with <see cref="Bands"/> rows.</param>
        public void Add(FeatureMatrix matrix)
        {
            ArgumentNullException.ThrowIfNull(matrix);
            Add(matrix.Data, matrix.Columns);
        }

        /// <summary>Adds a row-major [Bands, columns] block.</summary>
        /// <param name="values">The block.</param>
        /// <param name="columns">Frames in it.</param>
        public void Add(ReadOnlySpan<float> values, int columns)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(columns);
            if (values.Length != Bands * columns)
            {
                throw new ArgumentException($"expected {Bands} x {columns} values, got {values.Length}", nameof(values));
            }
            if (columns == 0)
            {
                return;
            }
            for (int b = 0; b < Bands; b++)
            {
                ReadOnlySpan<float> row = values.Slice(b * columns, columns);
                double sum = 0;
                foreach (float v in row)
                {
                    sum += v;
                }
                double mean = sum / columns;
                double m2 = 0;
                foreach (float v in row)
                {
                    double d = v - mean;
                    m2 += d * d;
                }
                Combine(b, mean, m2, columns);
            }
            Count += columns;
        }

        /// <summary>A copy with the same state.</summary>
        /// <returns>An independent accumulator.</returns>
        public Accumulator Clone()
        {
            var copy = new Accumulator(Bands) { Count = Count };
            _mean.CopyTo(copy._mean, 0);
            _m2.CopyTo(copy._m2, 0);
            return copy;
        }

        /// <summary>Adds everything another accumulator has seen.</summary>
        /// <param name="other">An accumulator with the same band count.</param>
        public void Merge(Accumulator other)
        {
            ArgumentNullException.ThrowIfNull(other);
            if (other.Bands != Bands)
            {
                throw new ArgumentException($"band counts differ ({other.Bands} vs {Bands})", nameof(other));
            }
            if (other.Count == 0)
            {
                return;
            }
            for (int b = 0; b < Bands; b++)
            {
                Combine(b, other._mean[b], other._m2[b], other.Count);
            }
            Count += other.Count;
        }

        /// <summary>The fitted statistics.</summary>
        /// <returns>Means and population standard deviations per band.</returns>
        /// <exception cref="InvalidOperationException">Nothing was added.</exception>
        public BandStatistics ToStatistics()
        {
            if (Count == 0)
            {
                throw new InvalidOperationException("no frames were added");
            }
            var std = new double[Bands];
            for (int b = 0; b < Bands; b++)
            {
                std[b] = Math.Sqrt(Math.Max(0, _m2[b] / Count));
            }
            return new BandStatistics(_mean, std, Count);
        }

        private void Combine(int band, double meanB, double m2B, long countB)
        {
            long countA = Count;
            long total = countA + countB;
            double delta = meanB - _mean[band];
            _mean[band] += delta * countB / total;
            _m2[band] += m2B + delta * delta * ((double)countA * countB / total);
        }
    }

    internal sealed class Dto
    {
        [JsonPropertyName("format")]
        public string? Format { get; set; }

        [JsonPropertyName("version")]
        public int Version { get; set; }

        [JsonPropertyName("count")]
        public long Count { get; set; }

        [JsonPropertyName("mean")]
        public double[]? Mean { get; set; }

        [JsonPropertyName("std")]
        public double[]? Std { get; set; }
    }
}

[JsonSerializable(typeof(BandStatistics.Dto))]
internal sealed partial class DtoContext : JsonSerializerContext;
