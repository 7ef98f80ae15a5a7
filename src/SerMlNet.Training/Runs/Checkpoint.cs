using System.Text.Json;
using System.Text.Json.Serialization;
using SerMlNet.Training.Model;
using TorchSharp.Modules;

namespace SerMlNet.Training.Runs;

/// <summary>
/// A resumable training state, <c>last.ckpt</c> (format <c>sermlnet.checkpoint</c> v2, one <see cref="TorchFile"/>,
/// written atomically): the model's state dict and the optimiser's (TorchSharp's formats), the trainer's counters as
/// JSON, and the speaker adversary's state dict when the run has one.
/// </summary>
internal static class Checkpoint
{
    public const string FormatName = "sermlnet.checkpoint";
    public const int FormatVersion = 2;
    private const string OptimizerSection = "optimizer";
    private const string TrainerSection = "trainer";
    private const string AdversarySection = "adversary";

    /// <summary>Writes model, adversary (when not null), optimiser and counters atomically.</summary>
    public static void Save(string path, SerCnn model, SpeakerAdversary? adversary, OptimizerHelper optimizer, TrainerState state)
    {
        var sections = new List<(string, byte[])>
        {
            (TrainerSection, JsonSerializer.SerializeToUtf8Bytes(state, CheckpointJson.Default.TrainerState)),
            (ModelWeights.ModelSection, ModelWeights.Serialize(model)),
            (OptimizerSection, TorchFile.Payload(optimizer.save_state_dict)),
        };
        if (adversary is not null)
        {
            sections.Add((AdversarySection, ModelWeights.Serialize(adversary)));
        }
        TorchFile.Write(path, FormatName, FormatVersion, sections);
    }

    /// <summary>Reads the counters and fills model, adversary (when not null) and optimiser.</summary>
    /// <exception cref="InvalidFileException">Not a checkpoint of this version, corrupt, another architecture, or
    /// without the adversary that <paramref name="adversary"/> asks for.</exception>
    public static TrainerState Load(string path, SerCnn model, SpeakerAdversary? adversary, OptimizerHelper optimizer)
    {
        Dictionary<string, byte[]> sections = TorchFile.Read(path, FormatName, FormatVersion);
        TrainerState state = JsonSerializer.Deserialize(TorchFile.Require(sections, TrainerSection, path), CheckpointJson.Default.TrainerState)
            ?? throw new InvalidFileException($"'{Path.GetFileName(path)}': empty trainer section");
        ModelWeights.Deserialize(model, TorchFile.Require(sections, ModelWeights.ModelSection, path), path);
        if (adversary is not null)
        {
            ModelWeights.Deserialize(adversary, TorchFile.Require(sections, AdversarySection, path), path);
        }
        TorchFile.ReadPayload(TorchFile.Require(sections, OptimizerSection, path), optimizer.load_state_dict,
            $"'{Path.GetFileName(path)}': the optimizer state does not fit this model");
        return state;
    }
}

/// <summary>The trainer's counters in a checkpoint.</summary>
/// <param name="EpochsDone">Finished epochs.</param>
/// <param name="Step">Optimiser steps taken (the learning-rate schedule's position).</param>
/// <param name="BestValMacroF1">Best validation macro-F1 so far.</param>
/// <param name="BestEpoch">Epoch (1-based) of the best validation macro-F1.</param>
/// <param name="EpochsWithoutImprovement">Epochs since the best one (early stopping).</param>
/// <param name="JobHash">Identity of job and data: another job's checkpoint is never resumed.</param>
internal sealed record TrainerState(int EpochsDone, int Step, double BestValMacroF1, int BestEpoch, int EpochsWithoutImprovement, string JobHash);

[JsonSerializable(typeof(TrainerState))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
internal sealed partial class CheckpointJson : JsonSerializerContext;
