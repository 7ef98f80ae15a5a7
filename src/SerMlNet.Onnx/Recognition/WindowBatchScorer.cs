using System.Collections.Concurrent;
using SerMlNet.Onnx.Calibration;

namespace SerMlNet.Onnx.Recognition;

/// <summary>
/// The scoring core: runs the windows of any number of prepared inputs through ONNX Runtime, up to
/// <see cref="MaxWindowsPerRun"/> per run, from buffers pooled across calls, and stores each window's logits and
/// probabilities in its <see cref="PreparedInput"/> (calibrated first when the recognizer has a speaker's
/// <see cref="SpeakerCalibration"/>). Every path (a file, a batch, a stream) scores here. PCM windows of
/// one run must be equally long, so windows are grouped by length (a stable order: equal lengths keep input order). The
/// first run waits for the network's background warm-up. Thread-safe: each call rents its own buffers.
/// </summary>
internal sealed class WindowBatchScorer
{
    /// <summary>The most windows handed to ONNX Runtime in one run; more are split into several runs.</summary>
    public const int MaxWindowsPerRun = 16;

    private readonly OnnxModel _model;
    private readonly RecognitionFrontEnd _frontEnd;
    private readonly Task _warmUp;
    private readonly SpeakerCalibration? _calibration;
    private readonly ConcurrentBag<Workspace> _workspaces = [];

    /// <summary>Creates the scorer.</summary>
    /// <param name="model">The model.</param>
    /// <param name="frontEnd">Writes the windows' network inputs.</param>
    /// <param name="warmUp">The network's first run, in the background; awaited before the first real run.</param>
    /// <param name="calibration">A speaker's calibration applied to every window's outputs; null for none.</param>
    public WindowBatchScorer(OnnxModel model, RecognitionFrontEnd frontEnd, Task warmUp, SpeakerCalibration? calibration)
    {
        _model = model;
        _frontEnd = frontEnd;
        _warmUp = warmUp;
        _calibration = calibration;
    }

    /// <summary>Scores every window of every input.</summary>
    /// <param name="items">The inputs; their outputs are (re)allocated and filled.</param>
    /// <exception cref="OnnxModelException">ONNX Runtime failed.</exception>
    public void Score(IReadOnlyList<PreparedInput> items)
    {
        int classes = _model.ClassCount;
        int total = 0;
        foreach (PreparedInput p in items)
        {
            total += p.WindowCount;
            p.AllocateOutputs(classes);
        }
        var order = new (int Item, int Window, int Length)[total];
        int n = 0;
        bool uniform = true;
        for (int i = 0; i < items.Count; i++)
        {
            int length = _frontEnd.WindowInputLength(items[i]);
            for (int w = 0; w < items[i].WindowCount; w++)
            {
                order[n++] = (i, w, length);
                uniform &= length == order[0].Length;
            }
        }
        if (!uniform)
        {
            order = [.. order.OrderBy(o => o.Length)];   // OrderBy is stable: equal lengths keep their order
        }
        Workspace workspace = _workspaces.TryTake(out Workspace? pooled) ? pooled : new Workspace();
        try
        {
            for (int begin = 0; begin < total;)
            {
                int length = order[begin].Length;
                int end = begin + 1;
                while (end < total && end - begin < MaxWindowsPerRun && order[end].Length == length)
                {
                    end++;
                }
                int batch = end - begin;
                workspace.Ensure(batch * length, batch * classes);
                for (int k = 0; k < batch; k++)
                {
                    (int item, int window, _) = order[begin + k];
                    _frontEnd.FillWindow(items[item], window, workspace.Input.AsSpan(k * length, length));
                }
                if (!_warmUp.IsCompleted)
                {
                    _warmUp.Wait();
                }
                _model.Run(workspace.Input.AsMemory(0, batch * length), batch, workspace.Logits.AsMemory(0, batch * classes), workspace.Probabilities.AsMemory(0, batch * classes));
                for (int k = 0; k < batch; k++)
                {
                    (int item, int window, _) = order[begin + k];
                    Span<float> logits = items[item].Logits.AsSpan(window * classes, classes);
                    Span<float> probabilities = items[item].Probabilities.AsSpan(window * classes, classes);
                    workspace.Logits.AsSpan(k * classes, classes).CopyTo(logits);
                    if (_calibration is null)
                    {
                        workspace.Probabilities.AsSpan(k * classes, classes).CopyTo(probabilities);
                    }
                    else
                    {
                        _calibration.Apply(logits, probabilities);
                    }
                }
                begin = end;
            }
        }
        finally
        {
            _workspaces.Add(workspace);
        }
    }

    /// <summary>Buffers of one call, pooled across calls: the batch input and ONNX Runtime's outputs.</summary>
    private sealed class Workspace
    {
        public float[] Input { get; private set; } = [];

        public float[] Logits { get; private set; } = [];

        public float[] Probabilities { get; private set; } = [];

        public void Ensure(int inputs, int outputs)
        {
            if (Input.Length < inputs)
            {
                Input = new float[inputs];
            }
            if (Logits.Length < outputs)
            {
                Logits = new float[outputs];
                Probabilities = new float[outputs];
            }
        }
    }
}
