using Microsoft.ML;
using SerMlNet.Audio.Io;
using SerMlNet.Onnx;

namespace SerMlNet.ML.Saving;

/// <summary>
/// The emotion model as a saved ML.NET model (<c>model.zip</c>): one text column <see cref="PathColumn"/> (a WAV file of
/// any rate, mono or stereo) in; <see cref="ScoreColumn"/> (the class probabilities, in the order of the ONNX
/// <c>labels</c> metadata) and <see cref="PredictedLabelColumn"/> (the label as text) out, with the probabilities of
/// <c>EmotionRecognizer</c> / <c>Predict</c> on <c>model.onnx</c>, long clips' windows included.
/// <para><b>Design.</b> ML.NET saves custom work only through <c>CustomMapping</c> with a contract name (created without
/// state) and <c>ApplyOnnxModel</c> (which stores the ONNX bytes in the zip); <c>ModelSaveContext</c>'s members are
/// internal (dotnet/machinelearning issue 4911). So the chain is: a <c>CustomMapping</c> (<c>SerMlNet.DecodeWav16k</c>)
/// from the path to 16-kHz mono PCM by the recogniser's own decoder and resampler; <c>ApplyOnnxModel</c> on the graph of
/// <see cref="ClipScoringExporter"/>, which holds everything fitted (trimming, log-Mel, windowing, normalisation
/// statistics, the network, window averaging and the labels); a <c>CustomMapping</c> (<c>SerMlNet.LabelText</c>) from
/// the graph's one-element label vector to a scalar text column; and <c>DropColumns</c> of the intermediate columns.</para>
/// <para><b>Loading.</b> <c>mlContext.ComponentCatalog.RegisterAssembly(typeof(EmotionModelZip).Assembly)</c> (or
/// <see cref="RegisterComponents"/>), then <c>mlContext.Model.Load</c>; <see cref="Load"/> does both.</para>
/// <para><b>Errors.</b> A path that is missing or not a WAV file fails when its row is read, with the decoder's
/// <see cref="IOException"/> or <c>WavFormatException</c>, which ML.NET's parallel cursors may wrap in an
/// <see cref="InvalidOperationException"/> (look at its <see cref="Exception.InnerException"/>).</para>
/// <para>Stateless; thread-safe.</para>
/// </summary>
public static class EmotionModelZip
{
    /// <summary>The input column: a WAV path (text).</summary>
    public const string PathColumn = "Path";

    /// <summary>The intermediate PCM column (dropped from the output).</summary>
    public const string PcmColumn = ClipScoringExporter.PcmInput;

    /// <summary>The output column of probabilities: a vector of one float per class, in the order of the ONNX <c>labels</c> metadata.</summary>
    public const string ScoreColumn = ClipScoringExporter.ScoreOutput;

    /// <summary>The output column of the predicted label (text).</summary>
    public const string PredictedLabelColumn = "PredictedLabel";

    /// <summary>Builds the ML.NET model of a log-Mel <c>model.onnx</c> in memory (nothing is read from data).</summary>
    /// <param name="mlContext">The context.</param>
    /// <param name="modelPath">A SerMlNet <c>model.onnx</c> whose pipeline decodes and resamples to 16 kHz before trimming.</param>
    /// <returns>The fitted chain; dispose it (it holds an ONNX Runtime session).</returns>
    /// <exception cref="ModelFileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidModelException">The file is not a log-Mel SerMlNet model, its pipeline cannot be built into the graph, or it is not set for 16 kHz.</exception>
    public static ITransformer Build(MLContext mlContext, string modelPath)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ClipScoringGraph graph = ClipScoringExporter.Build(modelPath);
        if (graph.SampleRate != WavDecoding.SampleRate)
        {
            throw new InvalidModelException(modelPath, $"its pipeline runs at {graph.SampleRate} Hz; the saved ML.NET model decodes to {WavDecoding.SampleRate} Hz ('{WavDecoding.ContractName}')");
        }
        IDataView empty = EmptyInput(mlContext);
        var estimator = mlContext.Transforms.CustomMapping(new WavDecoding().GetMapping(), WavDecoding.ContractName)
            .Append(mlContext.Transforms.ApplyOnnxModel(new MemoryStream(graph.Model, writable: false)))
            .Append(mlContext.Transforms.CustomMapping(new LabelText().GetMapping(), LabelText.ContractName))
            .Append(mlContext.Transforms.DropColumns(PcmColumn, ClipScoringExporter.LabelOutput));
        return estimator.Fit(empty);
    }

    /// <summary>Writes the ML.NET model of a log-Mel <c>model.onnx</c> (see <see cref="Build"/>) to a zip file, atomically.</summary>
    /// <param name="modelPath">A SerMlNet <c>model.onnx</c>.</param>
    /// <param name="zipPath">Destination, e.g. <c>artifacts/model.zip</c>; replaced when it exists.</param>
    /// <param name="mlContext">The context; null for a new one (seed 0).</param>
    /// <exception cref="ModelFileNotFoundException">The model file does not exist.</exception>
    /// <exception cref="InvalidModelException">See <see cref="Build"/>.</exception>
    public static void Save(string modelPath, string zipPath, MLContext? mlContext = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(zipPath);
        mlContext ??= new MLContext(seed: 0);
        ITransformer model = Build(mlContext, modelPath);
        try
        {
            DataViewSchema input = EmptyInput(mlContext).Schema;
            AtomicFile.Write(zipPath, stream => mlContext.Model.Save(model, input, stream));
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }

    /// <summary>Registers this assembly's <c>CustomMapping</c> factories with the context, so <c>mlContext.Model.Load</c> can rebuild a saved emotion model.</summary>
    /// <param name="mlContext">The context.</param>
    public static void RegisterComponents(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        mlContext.ComponentCatalog.RegisterAssembly(typeof(EmotionModelZip).Assembly);
    }

    /// <summary>Registers the components (<see cref="RegisterComponents"/>) and loads a saved emotion model.</summary>
    /// <param name="mlContext">The context.</param>
    /// <param name="zipPath">A <c>model.zip</c> written by <see cref="Save"/>.</param>
    /// <param name="inputSchema">The schema it takes: one text column <see cref="PathColumn"/>.</param>
    /// <returns>The model; dispose it (it holds an ONNX Runtime session).</returns>
    public static ITransformer Load(MLContext mlContext, string zipPath, out DataViewSchema inputSchema)
    {
        RegisterComponents(mlContext);
        return mlContext.Model.Load(zipPath, out inputSchema);
    }

    private static IDataView EmptyInput(MLContext mlContext) => mlContext.Data.LoadFromEnumerable(Array.Empty<WavDecoding.PathRow>());
}
