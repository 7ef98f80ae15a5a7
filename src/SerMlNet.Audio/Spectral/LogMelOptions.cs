namespace SerMlNet.Audio.Spectral;

/// <summary>
/// Every parameter of the log-Mel front end in one place (librosa <c>melspectrogram</c> + <c>power_to_db</c> names).
/// Defaults: 16 kHz, NFft 1024, HopLength 160, WinLength = NFft, 128 Mel bands from 0 Hz to SampleRate / 2, Slaney
/// scale and norm, constant (zero) centring pad, power 2, 80 dB range, amin 1e-10.
/// </summary>
public sealed class LogMelOptions
{
    /// <summary>Sample rate of the input in Hz; default 16000.</summary>
    public int SampleRate { get; init; } = 16000;

    /// <summary>FFT length in samples; default 1024 (64 ms at 16 kHz).</summary>
    public int NFft { get; init; } = 1024;

    /// <summary>Hop between frames in samples; default 160 (10 ms at 16 kHz).</summary>
    public int HopLength { get; init; } = 160;

    /// <summary>Window length in samples, ≤ NFft; null (default) means NFft.</summary>
    public int? WinLength { get; init; }

    /// <summary>Number of Mel bands; default 128.</summary>
    public int NMels { get; init; } = 128;

    /// <summary>Lowest Mel edge in Hz; default 0.</summary>
    public double FMin { get; init; }

    /// <summary>Highest Mel edge in Hz; null (default) means SampleRate / 2.</summary>
    public double? FMax { get; init; }

    /// <summary>HTK Mel scale instead of Slaney's; default false.</summary>
    public bool Htk { get; init; }

    /// <summary>Mel filter normalisation; default <see cref="MelNorm.Slaney"/>.</summary>
    public MelNorm Norm { get; init; } = MelNorm.Slaney;

    /// <summary>Centring pad; default <see cref="PadMode.Constant"/> (zeros, librosa ≥ 0.10).</summary>
    public PadMode PadMode { get; init; } = PadMode.Constant;

    /// <summary>Exponent of the magnitude spectrogram; default 2 (power). Positive.</summary>
    public float Power { get; init; } = 2f;

    /// <summary>Dynamic range kept below the maximum in dB; default 80; null for no clipping.</summary>
    public float? TopDb { get; init; } = 80f;

    /// <summary>Floor of the power before the logarithm; default 1e-10. Positive.</summary>
    public float Amin { get; init; } = 1e-10f;

    /// <summary>The STFT part of these options (always centred).</summary>
    /// <returns>A new <see cref="StftOptions"/>.</returns>
    public StftOptions ToStftOptions() => new()
    {
        NFft = NFft,
        HopLength = HopLength,
        WinLength = WinLength,
        Center = true,
        PadMode = PadMode,
    };

    /// <summary>The Mel filterbank part of these options.</summary>
    /// <returns>A new <see cref="MelOptions"/>.</returns>
    public MelOptions ToMelOptions() => new()
    {
        SampleRate = SampleRate,
        NFft = NFft,
        NMels = NMels,
        FMin = FMin,
        FMax = FMax,
        Htk = Htk,
        Norm = Norm,
    };

    /// <summary>Checks every field and reports all problems at once.</summary>
    /// <exception cref="OptionsValidationException">One or more fields are out of range.</exception>
    public void Validate()
    {
        var errors = new ValidationErrors(nameof(LogMelOptions));
        ToMelOptions().AddErrors(errors);
        errors.Require(HopLength >= 1, $"HopLength must be at least 1 (was {HopLength})");
        errors.Require(WinLength is null || (WinLength >= 1 && WinLength <= NFft), $"WinLength must be in [1, NFft = {NFft}] (was {WinLength})");
        errors.Require(Enum.IsDefined(PadMode), $"PadMode {(int)PadMode} is not defined");
        errors.Require(float.IsFinite(Power) && Power > 0, $"Power must be positive (was {Power})");
        errors.Require(TopDb is null || (float.IsFinite(TopDb.Value) && TopDb.Value >= 0), $"TopDb must be ≥ 0 dB or null (was {TopDb})");
        errors.Require(float.IsFinite(Amin) && Amin > 0, $"Amin must be positive (was {Amin})");
        errors.ThrowIfAny();
    }
}
