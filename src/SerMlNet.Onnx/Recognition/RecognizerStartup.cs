using System.Text.Json;
using SerMlNet.Audio;
using SerMlNet.Audio.Wav;
using SerMlNet.Pipeline.Features;

namespace SerMlNet.Onnx.Recognition;

/// <summary>
/// Start-up of a recognizer, built for a fast cold start: the ONNX Runtime session is created on the calling thread
/// while a worker reads the pipeline JSON straight from the model file, rebuilds the pipeline and runs it once on a
/// synthetic tone (so decoding, resampling and the feature code are compiled and their tables built); once the session
/// exists, the network's first run (ONNX Runtime allocates and prepares its kernels then) continues in the background on
/// zeros. Stateless; thread-safe.
/// </summary>
internal static class RecognizerStartup
{
    /// <summary>Opens the model and rebuilds its fitted pipeline (see <see cref="EmotionRecognizer.Open(string, OnnxModelOptions?)"/>).</summary>
    /// <param name="modelPath">The model file.</param>
    /// <param name="options">Session set-up; null for the defaults.</param>
    /// <returns>The session (the caller owns it) and the pipeline.</returns>
    /// <exception cref="InvalidModelException">The model has no usable pipeline.</exception>
    public static (OnnxModel Model, FittedFrontEnd FrontEnd) Open(string modelPath, OnnxModelOptions? options)
    {
        // The pipeline on a worker, the session on the calling thread: loading libonnxruntime.so runs its static
        // initialisers (several MB of operator registrations) on whichever thread loads it, and glibc grows a non-main
        // thread's malloc arena one page (one mprotect) at a time, about 2,000 system calls on this model, where the
        // main thread's heap grows in 128-KB steps.
        Task<(string? Scanned, FittedFrontEnd? Early)> pipeline = Task.Run(() => ReadAndWarmUpPipeline(modelPath));
        OnnxModel model;
        try
        {
            model = OnnxModel.Load(modelPath, options);
        }
        catch
        {
            // The load's error is the one to report; the worker is only waited for, never left running.
            ((IAsyncResult)pipeline).AsyncWaitHandle.WaitOne();
            throw;
        }
        try
        {
            (string? scanned, FittedFrontEnd? early) = pipeline.GetAwaiter().GetResult();
            string json = model.Metadata.FrontEndJson
                ?? throw new InvalidModelException(model.ModelPath, $"metadata '{OnnxMetadataKeys.FrontEnd}' is missing, so the fitted pipeline that makes its features is unknown");
            FittedFrontEnd frontEnd = early is not null && json == scanned ? early : Parse(model.ModelPath, json);
            return (model, frontEnd);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Starts the network's first run on zeros in the background.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The run; never faults (a network that cannot run fails again, with its message, on the first real call).</returns>
    public static Task WarmUpNetworkInBackground(OnnxModel model) => Task.Run(() => WarmUpNetwork(model));

    /// <summary>
    /// Reads the pipeline JSON straight from the model file and runs it once (see <see cref="WarmUp"/>); never faults:
    /// a missing or bad pipeline is reported by <see cref="Open"/> with the model's path once the session shows the file
    /// is a model at all.
    /// </summary>
    private static (string? Scanned, FittedFrontEnd? Early) ReadAndWarmUpPipeline(string modelPath)
    {
        string? scanned = null;
        FittedFrontEnd? early = null;
        try
        {
            scanned = OnnxFileMetadata.TryRead(modelPath, OnnxMetadataKeys.FrontEnd);
            early = scanned is null ? null : FittedFrontEnd.FromJson(scanned);
        }
        catch (Exception e) when (IsPipelineError(e))
        {
            return (scanned, null);
        }
        if (early is not null)
        {
            try
            {
                WarmUp(early);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Only a warm-up: a pipeline that fails on real input says so, with its message, on the first call.
            }
        }
        return (scanned, early);
    }

    /// <summary>ONNX Runtime allocates and prepares kernels on a session's first run: do it on zeros, off the caller's path.</summary>
    private static void WarmUpNetwork(OnnxModel model)
    {
        try
        {
            var zeros = new float[model.ValuesPerExample ?? model.Metadata.SampleRate ?? 16000];
            model.Run(zeros, 1, new float[model.ClassCount], new float[model.ClassCount]);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Only a warm-up: a network that cannot run fails again, with its message, on the first real call.
        }
    }

    /// <summary>Runs a front end once on 0.25 s of a 220 Hz tone at 48 kHz, written to and decoded from an in-memory 16-bit WAV.</summary>
    private static void WarmUp(FittedFrontEnd frontEnd)
    {
        const int rate = 48000;
        var tone = new float[rate / 4];
        for (int i = 0; i < tone.Length; i++)
        {
            tone[i] = 0.1f * MathF.Sin(2 * MathF.PI * 220 * i / rate);
        }
        using var wav = new MemoryStream();
        WavFile.Write(wav, tone, rate, WavSampleFormat.Pcm16);
        wav.Position = 0;
        frontEnd.ComputeFeatures(WavFile.Read(wav, "warm-up"));
    }

    private static FittedFrontEnd Parse(string path, string json)
    {
        try
        {
            return FittedFrontEnd.FromJson(json);
        }
        catch (Exception e) when (IsPipelineError(e))
        {
            throw new InvalidModelException(path, $"metadata '{OnnxMetadataKeys.FrontEnd}' is not a fitted SerMlNet pipeline: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    private static bool IsPipelineError(Exception e) =>
        e is PipelineFormatException or OptionsValidationException or SchemaMismatchException or JsonException
            or InvalidOperationException or ArgumentException or FormatException or IOException;
}
