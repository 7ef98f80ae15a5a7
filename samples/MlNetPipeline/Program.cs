// Speech emotion recognition as an ML.NET pipeline: SerMlNet's audio stages chained with ML.NET's own transforms,
// the CNN trained as an ML.NET multiclass trainer on TorchSharp, ML.NET's evaluator, and the model saved as
// model.onnx and model.zip. Run: dotnet run --project samples/MlNetPipeline -c Release -- ../shared/data/ravdess-16k out/mlnet
using Microsoft.ML;
using Microsoft.ML.Data;
using SerMlNet.ML.Saving;
using SerMlNet.ML.Transforms;
using SerMlNet.Onnx.Recognition;
using SerMlNet.Pipeline.Datasets;
using SerMlNet.Pipeline.Splits;
using SerMlNet.Training.MlNet;
using SerMlNet.Training.Model;
using SerMlNet.Training.Runs;

string data = args[0], output = args[1];
bool quick = args.Contains("--quick");   // a smoke run (the test's): 96 training clips, one epoch, a smaller network

var mlContext = new MLContext(seed: 42);
DatasetCatalog ravdess = DatasetCatalog.Open(data);
IDataView clips = JobPipelines.LoadClips(mlContext, ravdess.Clips);   // columns Path, ClipId, Emotion, Speaker

// Fold 1 of 5 actor-held-out folds, split by ML.NET (samplingKeyColumnName): the test actors are never heard in training.
SpeakerFoldData fold = SpeakerFoldSplit.Split(mlContext, clips, Splitter.SpeakerFolds(ravdess, folds: 5, validationSpeakers: 2, seed: 42))[0];
IDataView train = quick ? mlContext.Data.TakeRows(mlContext.Data.ShuffleRows(fold.Train, seed: 1), 96) : fold.Train;

// ML.NET's MapValueToKey, then SerMlNet's stages: decode and resample, trim silence, log-Mel, 300 frames, and per-band
// statistics fitted on the training clips.
TransformerChain<BandNormalizingTransformer> featurizer = mlContext.Transforms.Conversion.MapValueToKey("Label", "Emotion")
    .Append(mlContext.Transforms.LoadAudio("Audio", "Path", sampleRate: 16000))
    .Append(mlContext.Transforms.TrimSilence("Audio"))
    .Append(mlContext.Transforms.LogMel("LogMel", "Audio"))
    .Append(mlContext.Transforms.FixedLength("LogMel"))
    .Append(mlContext.Transforms.NormalizeBands("Features", "LogMel"))
    .Fit(train);

// The CNN as an ML.NET multiclass trainer; the fold's validation actors pick the best epoch.
SerCnnTrainer trainer = mlContext.MulticlassClassification.Trainers.SerCnn(
    model: quick ? new SerCnnOptions { Channels = [8, 16] } : new SerCnnOptions(),
    training: new TrainerOptions { Epochs = quick ? 1 : 20 },
    validationSet: featurizer.Transform(fold.Validation));
using TransformerChain<SerCnnTransformer> model = featurizer.Append(trainer.Fit(featurizer.Transform(train)));

// ML.NET's evaluator on the held-out actors.
MulticlassClassificationMetrics metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(fold.Test));
Console.WriteLine($"{fold.Name}: micro accuracy {metrics.MicroAccuracy:F3}, macro accuracy {metrics.MacroAccuracy:F3}, log-loss {metrics.LogLoss:F3}");

// Save: model.onnx (Predict, ser serve, EmotionRecognizer, any ONNX runtime) and model.zip (mlContext.Model.Load).
Directory.CreateDirectory(output);
string onnxPath = Path.Combine(output, "model.onnx"), zipPath = Path.Combine(output, "model.zip");
EmotionModelExport.Save(model, onnxPath, zipPath);

// Load model.zip in a fresh MLContext and name the emotion of a clip of a held-out actor; Predict's recogniser agrees.
var fresh = new MLContext();
ITransformer saved = EmotionModelZip.Load(fresh, zipPath, out _);
var engine = fresh.Model.CreatePredictionEngine<ClipInput, EmotionOutput>(saved);
string wav = fold.Test.GetColumn<string>("Path").First();
EmotionOutput answer = engine.Predict(new ClipInput { Path = wav });
using EmotionRecognizer recognizer = EmotionRecognizer.Open(onnxPath);
RecognitionResult predicted = recognizer.Recognize(wav);
Console.WriteLine($"{Path.GetFileName(wav)}: model.zip {answer.PredictedLabel} {answer.Score.Max():P1}, model.onnx {predicted.Label} {predicted.Confidence:P1}");

internal sealed class ClipInput
{
    public string Path { get; set; } = string.Empty;
}

internal sealed class EmotionOutput
{
    public string PredictedLabel { get; set; } = string.Empty;

    public float[] Score { get; set; } = [];
}
