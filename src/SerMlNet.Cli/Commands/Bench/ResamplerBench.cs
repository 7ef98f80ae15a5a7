using System.CommandLine;
using System.Diagnostics;
using SerMlNet.Audio;
using SerMlNet.Audio.Resampling;
using SerMlNet.Audio.Wav;

namespace SerMlNet.Cli.Commands.Bench;

/// <summary>
/// <c>ser bench resampler</c>: stop-band attenuation and pass-band ripple of the resampler measured with test tones for
/// the common rate pairs, and the SNR of our 48 kHz → 16 kHz output against the SoX-made files in
/// <c>shared/data/ravdess-16k</c> for the ten originals in <c>shared/data/ravdess-48k-samples</c> (goal ≥ 40 dB).
/// </summary>
public static class ResamplerBench
{
    private static readonly (int In, int Out)[] Pairs = [(48000, 16000), (44100, 16000), (22050, 16000), (8000, 16000), (16000, 48000), (16000, 44100), (16000, 22050), (16000, 8000)];

    /// <summary>Builds the command.</summary>
    /// <returns>The <c>resampler</c> benchmark command.</returns>
    public static Command Create()
    {
        var shared = BenchEnvironment.SharedOption("The shared data folder (holds data/ravdess-48k-samples and data/ravdess-16k); default $SERMLNET_SHARED or ../shared.");
        var command = new Command("resampler", "Resampler stop-band attenuation, pass-band ripple and SNR against SoX (rate -v) on RAVDESS 48k -> 16k.");
        command.Options.Add(shared);
        command.SetAction(parse => Run(parse.GetValue(shared)!));
        return command;
    }

    private static int Run(string shared)
    {
        string originals = Path.Combine(shared, "data", "ravdess-48k-samples");
        string sox = Path.Combine(shared, "data", "ravdess-16k");
        if (!Directory.Exists(originals) || !Directory.Exists(sox))
        {
            throw new DirectoryNotFoundException($"'{originals}' or '{sox}' is missing (set --shared)");
        }
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        Console.WriteLine($"design: -3 dB at {Resampler.Bandwidth:P0} of the lower Nyquist, stop band from the lower Nyquist, Kaiser window for {Resampler.DesignAttenuationDb} dB, linear phase, zero delay");
        Console.WriteLine();
        Console.WriteLine("rates            L/M       taps  flat to   stop-band attenuation (worst tone)   pass-band ripple p-p / max dev");
        foreach ((int fin, int fout) in Pairs)
        {
            var r = new Resampler(fin, fout);
            (double att, double at) = ResamplerMeasurements.StopbandAttenuation(r);
            (double ripple, double dev) = ResamplerMeasurements.PassbandRipple(r);
            Console.WriteLine($"{fin,6} -> {fout,-6}  {r.UpFactor,3}/{r.DownFactor,-4}  {r.TapsPerOutput,5}  {r.PassbandEdgeHz,6:F0} Hz  {att,8:F1} dB (at {at,7:F0} Hz)               {ripple:E2} dB / {dev:E2} dB");
        }
        Console.WriteLine();
        Console.WriteLine("SNR of ours (48k -> 16k) vs SoX rate -v (shared/data/ravdess-16k), goal >= 40 dB:");
        var resampler = new Resampler(48000, 16000);
        double worst = double.PositiveInfinity;
        double audioSeconds = 0;
        var clock = new Stopwatch();
        string[] files = Directory.GetFiles(originals, "*.wav").Order(StringComparer.Ordinal).ToArray();
        foreach (string file in files)
        {
            string name = Path.GetFileName(file);
            string actor = Path.GetFileNameWithoutExtension(name)[^2..];
            AudioSignal original = WavFile.Read(file);
            AudioSignal reference = WavFile.Read(Path.Combine(sox, $"Actor_{actor}", name));
            clock.Start();
            float[] ours = resampler.Process(original.Samples);
            clock.Stop();
            audioSeconds += original.DurationSeconds;
            if (ours.Length != reference.Samples.Length)
            {
                throw new InvalidDataException($"{name}: {ours.Length} samples, SoX made {reference.Samples.Length}");
            }
            double snr = ResamplerMeasurements.SnrDb(reference.Samples, ours);
            worst = Math.Min(worst, snr);
            // SoX wrote 16-bit samples: how much of the residual is that rounding alone, and how often ours rounds to the same value.
            int same = 0;
            var rounded = new float[ours.Length];
            for (int i = 0; i < ours.Length; i++)
            {
                rounded[i] = (float)(Math.Round(ours[i] * 32768.0) / 32768.0);
                same += rounded[i] == reference.Samples[i] ? 1 : 0;
            }
            double quantisation = ResamplerMeasurements.SnrDb(ours, rounded);
            Console.WriteLine($"  Actor_{actor}/{name}  {snr,6:F2} dB   (16-bit rounding alone: {quantisation,6:F2} dB; ours rounded to 16 bits equals SoX's sample {100.0 * same / ours.Length,5:F1} %)");
        }
        Console.WriteLine($"worst SNR {worst:F2} dB over {files.Length} files ({(worst >= 40 ? "meets" : "MISSES")} the 40 dB goal)");
        Console.WriteLine($"speed: {audioSeconds:F1} s of 48 kHz audio in {clock.Elapsed.TotalSeconds:F3} s ({audioSeconds / clock.Elapsed.TotalSeconds:F0}x real time, one thread)");
        return worst >= 40 ? 0 : 1;
    }
}
