namespace SerMlNet.Audio.Spectral;

/// <summary>
/// Short-time Fourier transform parameters, named as in <c>librosa.stft</c>. The window is always the periodic Hann
/// window of <see cref="WinLength"/> samples, zero-padded on both sides to <see cref="NFft"/> (centred).
/// </summary>
public sealed class StftOptions
{
    /// <summary>FFT length in samples; default 1024 (64 ms at 16 kHz). Any size from 2 to 1,048,576; powers of two are fastest.</summary>
    public int NFft { get; init; } = 1024;

    /// <summary>Samples between successive frames; default 160 (10 ms at 16 kHz). At least 1.</summary>
    public int HopLength { get; init; } = 160;

    /// <summary>Window length in samples, 1 ≤ WinLength ≤ <see cref="NFft"/>; null (default) means <see cref="NFft"/>.</summary>
    public int? WinLength { get; init; }

    /// <summary>Whether frame t is centred on sample <c>t * HopLength</c> (the signal padded by <c>NFft / 2</c> each side); default true.</summary>
    public bool Center { get; init; } = true;

    /// <summary>Padding used when <see cref="Center"/> is true; default <see cref="PadMode.Constant"/> (zeros).</summary>
    public PadMode PadMode { get; init; } = PadMode.Constant;

    /// <summary>The window length in effect: <see cref="WinLength"/> or, when null, <see cref="NFft"/>.</summary>
    public int EffectiveWinLength => WinLength ?? NFft;

    /// <summary>Checks every field and reports all problems at once.</summary>
    /// <exception cref="OptionsValidationException">One or more fields are out of range.</exception>
    public void Validate()
    {
        var errors = new ValidationErrors(nameof(StftOptions));
        errors.Require(NFft is >= 2 and <= 1 << 20, $"NFft must be in [2, 1048576] (was {NFft})");
        errors.Require(HopLength >= 1, $"HopLength must be at least 1 (was {HopLength})");
        errors.Require(WinLength is null || (WinLength >= 1 && WinLength <= NFft), $"WinLength must be in [1, NFft = {NFft}] (was {WinLength})");
        errors.Require(Enum.IsDefined(PadMode), $"PadMode {(int)PadMode} is not defined");
        errors.ThrowIfAny();
    }
}
