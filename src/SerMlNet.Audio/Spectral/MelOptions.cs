namespace SerMlNet.Audio.Spectral;

/// <summary>Mel filterbank parameters, named as in <c>librosa.filters.mel</c>.</summary>
public sealed class MelOptions
{
    /// <summary>Sample rate in Hz; default 16000. Positive.</summary>
    public int SampleRate { get; init; } = 16000;

    /// <summary>FFT length the filters apply to (they have <c>1 + NFft / 2</c> columns); default 1024.</summary>
    public int NFft { get; init; } = 1024;

    /// <summary>Number of Mel bands; default 128. At least 1.</summary>
    public int NMels { get; init; } = 128;

    /// <summary>Lowest band edge in Hz; default 0. In [0, FMax).</summary>
    public double FMin { get; init; }

    /// <summary>Highest band edge in Hz; null (default) means <c>SampleRate / 2</c>. At most <c>SampleRate / 2</c>.</summary>
    public double? FMax { get; init; }

    /// <summary>Use the HTK Mel formula <c>2595 log10(1 + f / 700)</c> instead of Slaney's (default false: Slaney).</summary>
    public bool Htk { get; init; }

    /// <summary>Filter normalisation; default <see cref="MelNorm.Slaney"/>.</summary>
    public MelNorm Norm { get; init; } = MelNorm.Slaney;

    /// <summary>The upper edge in effect: <see cref="FMax"/> or, when null, <c>SampleRate / 2</c>.</summary>
    public double EffectiveFMax => FMax ?? SampleRate / 2.0;

    /// <summary>Checks every field and reports all problems at once.</summary>
    /// <exception cref="OptionsValidationException">One or more fields are out of range.</exception>
    public void Validate()
    {
        var errors = new ValidationErrors(nameof(MelOptions));
        AddErrors(errors);
        errors.ThrowIfAny();
    }

    internal void AddErrors(ValidationErrors errors)
    {
        errors.Require(SampleRate > 0, $"SampleRate must be positive (was {SampleRate})");
        errors.Require(NFft is >= 2 and <= 1 << 20, $"NFft must be in [2, 1048576] (was {NFft})");
        errors.Require(NMels is >= 1 and <= 4096, $"NMels must be in [1, 4096] (was {NMels})");
        errors.Require(double.IsFinite(FMin) && FMin >= 0, $"FMin must be a finite value ≥ 0 Hz (was {FMin})");
        errors.Require(FMax is null || (double.IsFinite(FMax.Value) && FMax.Value > 0 && FMax.Value <= SampleRate / 2.0),
            $"FMax must be in (0, SampleRate / 2 = {SampleRate / 2.0}] Hz (was {FMax})");
        errors.Require(EffectiveFMax > FMin, $"FMin ({FMin} Hz) must be below FMax ({EffectiveFMax} Hz)");
        errors.Require(Enum.IsDefined(Norm), $"Norm {(int)Norm} is not defined");
    }
}
