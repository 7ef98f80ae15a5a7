using System.Buffers.Binary;
using System.CommandLine;
using System.Globalization;
using SerMlNet.Audio.Io;
using SerMlNet.Audio.Resampling;
using SerMlNet.Audio.Wav;

namespace SerMlNet.Cli.Commands.Bench;

/// <summary>
/// <c>ser bench long-wav -o runs/long/long-60min-48k.wav [--minutes 60]</c>: the input of the long-recording
/// measurement (<c>scripts/bench-long.sh</c>): RAVDESS clips of actors 01–20 (16 kHz, shuffled with a fixed seed,
/// repeated as needed) joined with pauses of 0.5–2.5 s of faint noise (about −80 dBFS), upsampled to 48 kHz with the
/// project's resampler, written as 16-bit stereo (right channel at 0.8 × the left, so down-mixing matters). Written clip
/// by clip (memory stays small), atomically. Never commit the output: an hour is 691 MB.
/// </summary>
public static class LongWavBench
{
    private const int Rate = 48000;
    private const int Channels = 2;

    /// <summary>Builds the command.</summary>
    /// <returns>The <c>long-wav</c> command.</returns>
    public static Command Create()
    {
        var shared = BenchEnvironment.SharedOption("The shared data folder (holds data/ravdess-16k); default $SERMLNET_SHARED or ../shared.");
        var output = new Option<string>("--output", "-o") { Description = "The WAV file to write (under runs/ or /tmp; never commit it).", Required = true };
        var minutes = new Option<double>("--minutes") { Description = "Length in minutes (default 60).", DefaultValueFactory = _ => 60 };
        var seed = new Option<int>("--seed") { Description = "Seed of the clip order and pauses (default 42).", DefaultValueFactory = _ => 42 };
        var command = new Command("long-wav", "Write a long 48 kHz stereo WAV of RAVDESS clips joined with pauses (input of scripts/bench-long.sh).")
        {
            shared, output, minutes, seed,
        };
        command.SetAction(parse => Run(parse.GetValue(shared)!, parse.GetValue(output)!, parse.GetValue(minutes), parse.GetValue(seed)));
        return command;
    }

    private static int Run(string shared, string output, double minutes, int seed)
    {
        if (minutes is <= 0 or > 600)
        {
            throw new UsageException($"--minutes must be in (0, 600] (was {minutes})");
        }
        string folder = Path.Combine(shared, "data", "ravdess-16k");
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"'{folder}' is missing (set --shared)");
        }
        string[] clips = [.. Directory.GetFiles(folder, "*.wav", SearchOption.AllDirectories)
            .Where(f => int.TryParse(Path.GetFileNameWithoutExtension(f)[^2..], CultureInfo.InvariantCulture, out int actor) && actor <= 20)
            .Order(StringComparer.Ordinal)];
        var random = new Random(seed);
        random.Shuffle(clips);
        long target = (long)(minutes * 60 * Rate);
        var upsampler = new Resampler(16000, Rate);
        long frames = 0;
        int used = 0;
        AtomicFile.Write(output, stream =>
        {
            stream.Write(new byte[44]);
            var bytes = new byte[1 << 16];
            void WriteFrames(ReadOnlySpan<float> mono)
            {
                for (int at = 0; at < mono.Length && frames < target;)
                {
                    int n = (int)Math.Min(Math.Min(mono.Length - at, bytes.Length / (2 * Channels)), target - frames);
                    for (int i = 0; i < n; i++)
                    {
                        short left = Pcm16(mono[at + i]), right = Pcm16(0.8f * mono[at + i]);
                        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(4 * i), left);
                        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(4 * i + 2), right);
                    }
                    stream.Write(bytes, 0, n * 2 * Channels);
                    at += n;
                    frames += n;
                }
            }
            while (frames < target)
            {
                float[] clip = WavFile.Read(clips[used++ % clips.Length]).Samples;
                WriteFrames(upsampler.Process(clip));
                var pause = new float[(int)((0.5 + 2.0 * random.NextDouble()) * Rate)];
                for (int i = 0; i < pause.Length; i++)
                {
                    pause[i] = (float)((random.NextDouble() - 0.5) * 2e-4);
                }
                WriteFrames(pause);
            }
            long dataBytes = frames * 2 * Channels;
            var header = new byte[44];
            "RIFF"u8.CopyTo(header);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), checked((uint)(36 + dataBytes)));
            "WAVEfmt "u8.CopyTo(header.AsSpan(8));
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 16);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(20), 1);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(22), Channels);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(24), Rate);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(28), Rate * 2 * Channels);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(32), 2 * Channels);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(34), 16);
            "data"u8.CopyTo(header.AsSpan(36));
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(40), checked((uint)dataBytes));
            stream.Position = 0;
            stream.Write(header);
        }, flushToDisk: false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{output}: {frames / (double)Rate / 60:F2} min of 48 kHz 16-bit stereo ({frames * 2 * Channels / 1e6:F0} MB), {used} RAVDESS clips (actors 01-20) joined with 0.5-2.5 s pauses, seed {seed}; first clips: {string.Join(", ", clips.Take(Math.Min(used, 3)).Select(Path.GetFileName))}"));
        return 0;
    }

    private static short Pcm16(float x) => (short)Math.Clamp(Math.Round(x * 32768.0), short.MinValue, short.MaxValue);
}
