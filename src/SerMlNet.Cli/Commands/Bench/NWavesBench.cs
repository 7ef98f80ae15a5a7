using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using NWaves.Filters.Fda;
using NWaves.Operations;
using Resampler = SerMlNet.Audio.Resampling.Resampler;
using NWaves.Operations.Tsm;
using NWaves.Signals;
using NWaves.Windows;
using SerMlNet.Audio;
using SerMlNet.Audio.Effects;
using SerMlNet.Audio.Resampling;
using SerMlNet.Audio.Spectral;
using SerMlNet.Audio.Wav;
using NwStft = NWaves.Transforms.Stft;

namespace SerMlNet.Cli.Commands.Bench;

/// <summary>
/// <c>ser bench nwaves</c>: issue 11's side-by-side bake-off of NWaves 0.9.6 against our front end. Parity with the
/// golden librosa vectors (STFT power, Mel filterbank, Mel power, log-Mel), SNR against SoX for 48 kHz → 16 kHz,
/// the 440 Hz tone figures for pitch shift (+2 semitones) and time stretch (rate 1.25) with an artefact figure, and
/// median times with ours and NWaves alternating in one run. Prints a Markdown table.
/// </summary>
/// <remarks>
/// NWaves is configured as close to librosa as its API allows: the signal is centre-padded with zeros by us (NWaves'
/// STFT has no centring) plus one trailing zero (its frame loop stops at <c>pos + window &lt; length</c>, one frame short
/// of librosa's <c>1 + len / hop</c> when the hop divides the length); its Hann window is the symmetric one
/// (denominator <c>N - 1</c>) where librosa uses the periodic one, which the API cannot change; its Slaney Mel bank is
/// used with <c>normalizeGain: true</c>; NWaves has no <c>power_to_db(ref=max, top_db)</c>, so its log-Mel row uses
/// our <see cref="Decibels"/> on NWaves' Mel power.
/// </remarks>
public static class NWavesBench
{
    private const int Rate = 16000;

    /// <summary>Builds the command.</summary>
    /// <returns>The <c>nwaves</c> benchmark command.</returns>
    public static Command Create()
    {
        var shared = BenchEnvironment.SharedOption("The shared data folder (holds golden/, data/ravdess-48k-samples and data/ravdess-16k); default $SERMLNET_SHARED or ../shared.");
        var runs = new Option<int>("--runs") { Description = "Timed runs of each operation (ours and NWaves alternate); the median is reported.", DefaultValueFactory = _ => 15 };
        var command = new Command("nwaves", "Bake-off of NWaves against our front end: librosa parity, SoX SNR, effect quality and speed.");
        command.Options.Add(shared);
        command.Options.Add(runs);
        command.SetAction(parse => Run(parse.GetValue(shared)!, parse.GetValue(runs)));
        return command;
    }

    private static int Run(string shared, int runs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(runs);
        string golden = Path.Combine(shared, "golden");
        if (!File.Exists(Path.Combine(golden, "index.json")))
        {
            throw new DirectoryNotFoundException($"'{golden}' holds no index.json (set --shared)");
        }
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, load average at start {BenchEnvironment.LoadAverage()}");
        Console.WriteLine($"NWaves {typeof(NwStft).Assembly.GetName().Version}; {runs} timed runs per operation, ours and NWaves alternating, medians");
        Console.WriteLine();
        var rows = new List<string[]>();

        // STFT power: the stft_power cases (n_fft 1024, hop 160, Hann, centre, constant padding).
        var stftErr = new Err();
        var stftNw = new Err();
        float[]? speech = null;
        foreach (JsonElement c in CasesOfKind(golden, "stft_power"))
        {
            float[] y = ReadArray(golden, c, "signal_file_array") ?? ReadSignal(golden, c.GetProperty("input").GetProperty("signal_id").GetString()!);
            speech ??= y;
            float[] reference = ReadNamed(golden, c, "power");
            stftErr.Add(reference, new Stft(new StftOptions { NFft = 1024, HopLength = 160 }).ComputeSpectrogram(y).Data);
            stftNw.Add(reference, NwPower(y, 1024, 160));
        }
        if (speech is null)
        {
            throw new InvalidDataException("no stft_power golden case");
        }
        var ourStft = new Stft(new StftOptions { NFft = 1024, HopLength = 160 });
        (double tOurStft, double tNwStft) = Time(runs, () => ourStft.ComputeSpectrogram(speech), () => NwPower(speech, 1024, 160));
        rows.Add(["STFT power (n_fft 1024, hop 160)", $"{stftErr.Count} golden", stftErr.Relative(), stftNw.Relative(), Ms(tOurStft), Ms(tNwStft)]);

        // Mel filterbank: the Slaney-normalised cases (NWaves' MelBankSlaney has no HTK scale).
        var fbOur = new Err();
        var fbNw = new Err();
        int skipped = 0;
        foreach (JsonElement c in CasesOfKind(golden, "mel_filter"))
        {
            JsonElement p = c.GetProperty("params_effective");
            if (p.GetProperty("htk").GetBoolean() || p.GetProperty("norm").ValueKind != JsonValueKind.String)
            {
                skipped++;
                continue;
            }
            int sr = p.GetProperty("sr").GetInt32(), nFft = p.GetProperty("n_fft").GetInt32(), nMels = p.GetProperty("n_mels").GetInt32();
            float[] reference = ReadNamed(golden, c, "mel_basis");
            fbOur.Add(reference, MelFilterbank.Get(new MelOptions { SampleRate = sr, NFft = nFft, NMels = nMels }).ToMatrix().Data);
            fbNw.Add(reference, FilterBanks.MelBankSlaney(nMels, nFft, sr, 0, sr / 2.0, true).SelectMany(r => r).ToArray());
        }
        (double tOurFb, double tNwFb) = Time(runs, MelFilterbankUncached, () => FilterBanks.MelBankSlaney(128, 1024, Rate, 0, Rate / 2.0, true));
        rows.Add(["Mel filterbank (Slaney, norm slaney)", $"{fbOur.Count} golden (+{skipped} HTK/no-norm: NWaves n/a)", fbOur.Relative(), fbNw.Relative(), Ms(tOurFb), Ms(tNwFb)]);

        // Mel power and log-Mel: the melspec_constant cases (trimmed signal, n_fft 1024, hop 160, 128 Mels).
        var melOur = new Err();
        var melNw = new Err();
        var dbOur = new Err();
        var dbNw = new Err();
        float[] nwBank = Flatten(FilterBanks.MelBankSlaney(128, 1024, Rate, 0, Rate / 2.0, true));
        var extractor = new LogMelExtractor(new LogMelOptions());
        float[]? trimmed = null;
        foreach (JsonElement c in CasesOfKind(golden, "melspec_constant"))
        {
            float[] y = ReadSignal(golden, c.GetProperty("input").GetProperty("signal_id").GetString()!);
            JsonElement trim = c.GetProperty("preprocessing").GetProperty("trim_index");
            y = y[trim[0].GetInt32()..trim[1].GetInt32()];
            trimmed ??= y;
            float[] refMel = ReadNamed(golden, c, "mel_power");
            float[] refDb = ReadNamed(golden, c, "log_mel_db");
            melOur.Add(refMel, extractor.ComputeMel(y).Data);
            dbOur.Add(refDb, extractor.ComputeDb(y).Data);
            float[] nwMel = NwMel(y, nwBank);
            melNw.Add(refMel, nwMel);
            dbNw.Add(refDb, NwDb(nwMel));
        }
        trimmed ??= speech;
        (double tOurMel, double tNwMel) = Time(runs, () => extractor.ComputeMel(trimmed), () => NwMel(trimmed, nwBank));
        rows.Add(["Mel power (128 Mels)", $"{melOur.Count} golden", melOur.Relative(), melNw.Relative(), Ms(tOurMel), Ms(tNwMel)]);
        (double tOurDb, double tNwDb) = Time(runs, () => extractor.ComputeDb(trimmed), () => NwDb(NwMel(trimmed, nwBank)));
        rows.Add(["log-Mel dB (ref max, top_db 80)", $"{dbOur.Count} golden", dbOur.Absolute("dB"), dbNw.Absolute("dB"), Ms(tOurDb), Ms(tNwDb)]);

        // Resampling 48 kHz -> 16 kHz against SoX (no golden librosa case): worst SNR over the originals.
        string originals = Path.Combine(shared, "data", "ravdess-48k-samples");
        string sox = Path.Combine(shared, "data", "ravdess-16k");
        var resampler = new Resampler(48000, Rate);
        double worstOur = double.PositiveInfinity, worstNw = double.PositiveInfinity;
        string lengths = "";
        int worstLag = 0;
        float[]? first48 = null;
        string[] files = Directory.Exists(originals) ? Directory.GetFiles(originals, "*.wav").Order(StringComparer.Ordinal).ToArray() : [];
        foreach (string file in files)
        {
            string name = Path.GetFileName(file);
            AudioSignal original = WavFile.Read(file);
            AudioSignal reference = WavFile.Read(Path.Combine(sox, $"Actor_{Path.GetFileNameWithoutExtension(name)[^2..]}", name));
            first48 ??= original.Samples;
            float[] ours = resampler.Process(original.Samples);
            float[] nw = Operation.Resample(new DiscreteSignal(48000, original.Samples, true), Rate).Samples;
            worstOur = Math.Min(worstOur, ResamplerMeasurements.SnrDb(reference.Samples, ours));
            // NWaves' length can differ from SoX's by a sample: compare the common part, zero-padded to SoX's length.
            // Its output is also not delay-compensated: take the best SNR over shifts of up to ±64 samples.
            (double snrNw, int lag) = BestShiftSnr(reference.Samples, nw, 64);
            worstNw = Math.Min(worstNw, snrNw);
            worstLag = worstNw == snrNw ? lag : worstLag;
            if (lengths.Length == 0)
            {
                lengths = $"SoX {reference.Samples.Length}, ours {ours.Length}, NWaves {nw.Length} samples";
            }
        }
        if (first48 is not null)
        {
            (double tOurRs, double tNwRs) = Time(runs, () => resampler.Process(first48), () => Operation.Resample(new DiscreteSignal(48000, first48, true), Rate));
            rows.Add(["Resample 48k→16k (vs SoX rate -v)", $"{files.Length} files, worst SNR; {lengths}", $"{worstOur:F2} dB", $"{worstNw:F2} dB (best shift {worstLag:+0;-0;0} samples)", Ms(tOurRs), Ms(tNwRs)]);
        }

        // Pitch shift +2 semitones and time stretch rate 1.25 on a 2 s 440 Hz tone (and the speech signal for speed).
        float[] tone = Tone(440, 2);
        double ratio = Math.Pow(2, 2.0 / 12);
        double expected = 440 * ratio;
        // Our pitch shift was replaced by NWaves' effect (PitchShift.Apply wraps it): only NWaves is measured here.
        float[] pNw = PitchShift.Apply(tone, Rate, 2);
        (double tNwP, _) = Time(runs, () => PitchShift.Apply(speech, Rate, 2), () => tone);
        rows.Add(["Pitch shift +2 st (440 Hz tone)", $"expected {expected:F2} Hz, length {tone.Length}",
            "replaced by NWaves (see README)", ToneFigures(pNw, expected, tone.Length), "–", Ms(tNwP)]);
        float[] sOur = TimeStretch.Apply(tone, 1.25);
        float[] sNw = NwStretch(tone, 1.25);
        (double tOurS, double tNwS) = Time(runs, () => TimeStretch.Apply(speech, 1.25), () => NwStretch(speech, 1.25));
        float[] speechOur = TimeStretch.Apply(speech, 1.25);
        float[] speechNw = NwStretch(speech, 1.25);
        rows.Add(["Time stretch rate 1.25 (440 Hz tone)", $"expected 440 Hz, length ratio {1 / 1.25:F5}",
            StretchFigures(sOur, tone.Length) + $", speech ratio {(double)speechOur.Length / speech.Length:F5}",
            StretchFigures(sNw, tone.Length) + $", speech ratio {(double)speechNw.Length / speech.Length:F5}", Ms(tOurS), Ms(tNwS)]);

        Console.WriteLine("| operation | reference | ours: parity / quality | NWaves: parity / quality | ours median ms | NWaves median ms |");
        Console.WriteLine("|---|---|---|---|---:|---:|");
        foreach (string[] r in rows)
        {
            Console.WriteLine("| " + string.Join(" | ", r) + " |");
        }
        Console.WriteLine();
        Console.WriteLine($"speed inputs: STFT/pitch/stretch on the {speech.Length}-sample 16 kHz golden signal, Mel/log-Mel on a {trimmed.Length}-sample trimmed golden signal, resampling on a {first48?.Length ?? 0}-sample 48 kHz file; filterbank = building a 128×513 bank");
        Console.WriteLine("parity: max |x - ref| / max |ref| over all cases (dB rows: max |x - ref| in dB); artefact: energy outside ±20 Hz of the expected partial, relative to the total, in the middle second of the output (Hann-windowed)");
        Console.WriteLine("NWaves settings: Stft(1024, 160, WindowType.Hann) on our zero centre-padding (+1 trailing zero); MelBankSlaney(normalizeGain: true); Operation.Resample (default filter, order 15); PitchShiftEffect(ratio, 2048, 512, PhaseVocoderPhaseLocking) through PitchShift.Apply; Operation.TimeStretch(1 / rate, 2048, 512, PhaseVocoderPhaseLocking)");
        Console.WriteLine($"load average at end {BenchEnvironment.LoadAverage()}");
        return 0;
    }

    /// <summary>Stands for building our bank without the cache <see cref="MelFilterbank.Get"/> keeps.</summary>
    private static object MelFilterbankUncached() => MelFilterbank.Get(new MelOptions { NMels = 128, NFft = 1024, FMin = 0.001 * Random.Shared.Next(1, 1000) });

    /// <summary>SNR of <paramref name="test"/> against <paramref name="reference"/> at the best shift within ±<paramref name="maxLag"/>, zero-filled to the reference's length.</summary>
    private static (double SnrDb, int Lag) BestShiftSnr(float[] reference, float[] test, int maxLag)
    {
        double best = double.NegativeInfinity;
        int bestLag = 0;
        var shifted = new float[reference.Length];
        for (int lag = -maxLag; lag <= maxLag; lag++)
        {
            Array.Clear(shifted);
            for (int i = 0; i < shifted.Length; i++)
            {
                int j = i + lag;
                if (j >= 0 && j < test.Length)
                {
                    shifted[i] = test[j];
                }
            }
            double snr = ResamplerMeasurements.SnrDb(reference, shifted);
            if (snr > best)
            {
                (best, bestLag) = (snr, lag);
            }
        }
        return (best, bestLag);
    }

    private static float[] Flatten(float[][] rows) => rows.SelectMany(r => r).ToArray();

    private static float[] CentrePad(float[] y, int nFft)
    {
        var padded = new float[y.Length + nFft + 1];
        y.CopyTo(padded, nFft / 2);
        return padded;
    }

    /// <summary>NWaves' power spectrogram laid out like ours: [bins, frames].</summary>
    private static float[] NwPower(float[] y, int nFft, int hop)
    {
        List<float[]> frames = new NwStft(nFft, hop, WindowType.Hann, nFft).Spectrogram(CentrePad(y, nFft), false);
        int count = 1 + y.Length / hop;
        int bins = nFft / 2 + 1;
        var m = new float[bins * count];
        for (int t = 0; t < count; t++)
        {
            for (int k = 0; k < bins; k++)
            {
                m[k * count + t] = frames[t][k];
            }
        }
        return m;
    }

    private static float[] NwMel(float[] y, float[] bankFlat)
    {
        const int bins = 513, mels = 128;
        List<float[]> frames = new NwStft(1024, 160, WindowType.Hann, 1024).Spectrogram(CentrePad(y, 1024), false);
        int count = 1 + y.Length / 160;
        float[][] bank = new float[mels][];
        for (int b = 0; b < mels; b++)
        {
            bank[b] = bankFlat.AsSpan(b * bins, bins).ToArray();
        }
        var m = new float[mels * count];
        var filtered = new float[mels];
        for (int t = 0; t < count; t++)
        {
            FilterBanks.Apply(bank, frames[t], filtered);
            for (int b = 0; b < mels; b++)
            {
                m[b * count + t] = filtered[b];
            }
        }
        return m;
    }

    private static float[] NwDb(float[] mel)
    {
        var db = new float[mel.Length];
        Decibels.PowerToDb(mel, db, 1e-10f, 80f);
        return db;
    }

    private static float[] NwStretch(float[] y, double rate) =>
        Operation.TimeStretch(new DiscreteSignal(Rate, y, true), 1 / rate, 2048, 512, TsmAlgorithm.PhaseVocoderPhaseLocking).Samples;

    private static float[] Tone(double hz, double seconds)
    {
        var x = new float[(int)(seconds * Rate)];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)(0.5 * Math.Sin(2 * Math.PI * hz * i / Rate));
        }
        return x;
    }

    private static string ToneFigures(float[] y, double expectedHz, int inputLength) =>
        $"{Dominant(y):F2} Hz, artefact {ArtefactDb(y, expectedHz):F1} dB, length {y.Length}{(y.Length == inputLength ? "" : " (≠ input)")}";

    private static string StretchFigures(float[] y, int inputLength) =>
        $"ratio {(double)y.Length / inputLength:F5}, {Dominant(y):F2} Hz, artefact {ArtefactDb(y, 440):F1} dB";

    /// <summary>The middle second (or what there is) of a signal.</summary>
    private static ReadOnlySpan<float> Middle(float[] y)
    {
        int n = Math.Min(Rate, y.Length / 2);
        return y.AsSpan((y.Length - n) / 2, n);
    }

    /// <summary>Peak of a 0.25 Hz DFT scan from 300 to 700 Hz over the middle second, as the augmentation tests measure.</summary>
    private static double Dominant(float[] y)
    {
        ReadOnlySpan<float> x = Middle(y);
        double best = 0, bestPower = -1;
        for (double f = 300; f <= 700; f += 0.25)
        {
            double re = 0, im = 0;
            for (int i = 0; i < x.Length; i++)
            {
                (double s, double c) = Math.SinCos(2 * Math.PI * f * i / Rate);
                re += x[i] * c;
                im -= x[i] * s;
            }
            double p = re * re + im * im;
            if (p > bestPower)
            {
                (best, bestPower) = (f, p);
            }
        }
        return best;
    }

    /// <summary>Energy outside ±20 Hz of <paramref name="hz"/> over the total, in dB, of the Hann-windowed middle second (Parseval).</summary>
    private static double ArtefactDb(float[] y, double hz)
    {
        ReadOnlySpan<float> x = Middle(y);
        int n = x.Length;
        var w = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            w[i] = x[i] * (0.5 - 0.5 * Math.Cos(2 * Math.PI * i / n));
            total += w[i] * w[i];
        }
        double inBand = 0;
        int lo = (int)Math.Ceiling((hz - 20) * n / Rate), hi = (int)Math.Floor((hz + 20) * n / Rate);
        for (int k = lo; k <= hi; k++)
        {
            double re = 0, im = 0;
            for (int i = 0; i < n; i++)
            {
                (double s, double c) = Math.SinCos(2 * Math.PI * k * i / n);
                re += w[i] * c;
                im -= w[i] * s;
            }
            // Bins k and n - k both carry this energy for a real signal.
            inBand += 2 * (re * re + im * im) / n;
        }
        return 10 * Math.Log10(Math.Max(total - inBand, 1e-30) / total);
    }

    private static (double Ours, double NWaves) Time(int runs, Func<object> ours, Func<object> nwaves)
    {
        ours();
        nwaves();
        var a = new double[runs];
        var b = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            GC.KeepAlive(ours());
            a[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            t0 = Stopwatch.GetTimestamp();
            GC.KeepAlive(nwaves());
            b[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        Array.Sort(a);
        Array.Sort(b);
        return (a[runs / 2], b[runs / 2]);
    }

    private static string Ms(double ms) => ms.ToString(ms < 10 ? "F3" : "F1", System.Globalization.CultureInfo.InvariantCulture);

    private static IEnumerable<JsonElement> CasesOfKind(string golden, string kind)
    {
        using JsonDocument index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(golden, "index.json")));
        foreach (JsonElement c in index.RootElement.GetProperty("cases").EnumerateArray().ToArray())
        {
            if (c.GetProperty("kind").GetString() == kind)
            {
                using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(golden, c.GetProperty("json").GetString()!)));
                yield return doc.RootElement.Clone();
            }
        }
    }

    private static float[]? ReadArray(string golden, JsonElement c, string name) =>
        c.TryGetProperty("arrays", out JsonElement arrays) && arrays.TryGetProperty(name, out _) ? ReadNamed(golden, c, name) : null;

    private static float[] ReadNamed(string golden, JsonElement c, string name)
    {
        JsonElement a = c.GetProperty("arrays").GetProperty(name);
        byte[] bytes = File.ReadAllBytes(Path.Combine(golden, a.GetProperty("file").GetString()!));
        long count = a.GetProperty("shape").EnumerateArray().Aggregate(1L, (x, e) => x * e.GetInt64());
        if (bytes.LongLength != 4 * count)
        {
            throw new InvalidDataException($"golden array '{name}' has {bytes.LongLength} bytes, expected {4 * count}");
        }
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }

    private static float[] ReadSignal(string golden, string signalId)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(golden, "signals", $"signal_{signalId}.json")));
        return ReadNamed(golden, doc.RootElement, "signal");
    }

    /// <summary>Worst differences against reference arrays, accumulated over cases.</summary>
    private sealed class Err
    {
        private double _abs;
        private double _rel;

        public int Count { get; private set; }

        public void Add(float[] reference, float[] test)
        {
            Count++;
            if (test.Length != reference.Length)
            {
                _abs = _rel = double.NaN;
                return;
            }
            double peak = 0, worst = 0;
            for (int i = 0; i < reference.Length; i++)
            {
                peak = Math.Max(peak, Math.Abs(reference[i]));
                worst = Math.Max(worst, Math.Abs((double)test[i] - reference[i]));
            }
            _abs = Math.Max(_abs, worst);
            _rel = Math.Max(_rel, worst / peak);
        }

        public string Relative() => double.IsNaN(_rel) ? "shape differs" : $"{_rel:E2} of peak (abs {_abs:E2})";

        public string Absolute(string unit) => double.IsNaN(_abs) ? "shape differs" : $"{_abs:G3} {unit}";
    }
}
