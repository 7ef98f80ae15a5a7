// A/B of the resampler: this checkout's SerMlNet.Audio against an older build's SerMlNet.Audio.dll (for example the
// published ser of an earlier commit), loaded side by side in one process.
//   dotnet run --project scripts/resampler-ab -c Release -- <old SerMlNet.Audio.dll> [rounds, default 3] [shared folder]
// Prints, for several rate pairs on the ten 48 kHz samples, the largest |new - old| output difference, then times
// Process on one 3-s 48 kHz mono clip (144,000 -> 48,000 samples), old and new alternating, 100 calls per round.
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using SerMlNet.Audio.Resampling;
using SerMlNet.Audio.Wav;

if (args.Length is < 1 or > 3)
{
    Console.Error.WriteLine("usage: resampler-ab <old SerMlNet.Audio.dll> [rounds] [shared folder]");
    return 2;
}
int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
string shared = args.Length > 2 ? args[2] : Environment.GetEnvironmentVariable("SERMLNET_SHARED") ?? Path.Combine("..", "shared");
Assembly oldAssembly = new AssemblyLoadContext("old").LoadFromAssemblyPath(Path.GetFullPath(args[0]));
Type oldType = oldAssembly.GetType("SerMlNet.Audio.Resampling.Resampler", throwOnError: true)!;
MethodInfo oldProcess = oldType.GetMethod("Process", [typeof(ReadOnlySpan<float>)])!;
ProcessSignal Old(int from, int to) => oldProcess.CreateDelegate<ProcessSignal>(Activator.CreateInstance(oldType, from, to));
ProcessSignal New(int from, int to) => new Resampler(from, to).Process;
Console.WriteLine($"load average {File.ReadAllText("/proc/loadavg").Trim()}");

string[] files = [.. Directory.GetFiles(Path.Combine(shared, "data", "ravdess-48k-samples"), "*.wav").Order(StringComparer.Ordinal)];
float[][] signals = [.. files.Select(f => WavFile.Read(f).Samples)];
foreach ((int from, int to) in new[] { (48000, 16000), (44100, 16000), (16000, 48000), (22050, 16000), (32000, 16000), (96000, 16000), (8000, 16000) })
{
    ProcessSignal oldResampler = Old(from, to), newResampler = New(from, to);
    double worst = 0, peak = 0;
    foreach (float[] signal in signals)
    {
        float[] a = oldResampler(signal), b = newResampler(signal);
        if (a.Length != b.Length)
        {
            throw new InvalidDataException($"{from} -> {to}: {a.Length} samples before, {b.Length} now");
        }
        for (int i = 0; i < a.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
            peak = Math.Max(peak, Math.Abs(a[i]));
        }
    }
    Console.WriteLine($"{from} -> {to}: {signals.Length} files, max |new - old| {worst:E2} (peak |old| {peak:F3})");
}

const int Calls = 100;
float[] clip = signals[0][..144000];
ProcessSignal oldClip = Old(48000, 16000), newClip = New(48000, 16000);
for (int i = 0; i < 20; i++)
{
    oldClip(clip);
    newClip(clip);
}
var all = new Dictionary<string, List<double>> { ["old"] = [], ["new"] = [] };
for (int round = 1; round <= rounds; round++)
{
    foreach ((string name, ProcessSignal process) in new[] { ("old", oldClip), ("new", newClip) })
    {
        var times = new double[Calls];
        for (int i = 0; i < Calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            process(clip);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        all[name].AddRange(times);
        Array.Sort(times);
        Console.WriteLine($"round {round} {name}: 144000 -> 48000 samples, {Calls} calls, p50 {times[Calls / 2]:F3} ms, min {times[0]:F3} ms");
    }
}
double oldP50 = Median(all["old"]), newP50 = Median(all["new"]);
Console.WriteLine($"all rounds: old p50 {oldP50:F3} ms, new p50 {newP50:F3} ms, {oldP50 / newP50:F2}x");
Console.WriteLine($"load average {File.ReadAllText("/proc/loadavg").Trim()}");
return 0;

static double Median(List<double> values)
{
    values.Sort();
    return values[values.Count / 2];
}

internal delegate float[] ProcessSignal(ReadOnlySpan<float> input);
