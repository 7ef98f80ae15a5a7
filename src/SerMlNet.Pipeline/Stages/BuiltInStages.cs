using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Spectral;
using SerMlNet.Audio.Trimming;
using SerMlNet.Pipeline.Augmentation;
using SerMlNet.Pipeline.Composition;

namespace SerMlNet.Pipeline.Stages;

/// <summary>Registers the loaders of the stages this library ships.</summary>
internal static class BuiltInStages
{
    public static void RegisterAll()
    {
        StageRegistry.Register(LoadAudioStage.TypeName, j => new LoadAudioStage(PipelineJson.ReadOptions(j, LoadAudioStage.TypeName, PipelineJsonContext.Default.LoadAudioOptions)));
        StageRegistry.Register(TrimStage.TypeName, j => new TrimStage(PipelineJson.ReadOptions(j, TrimStage.TypeName, PipelineJsonContext.Default.TrimOptions)));
        StageRegistry.Register(LogMelStage.TypeName, j => new LogMelStage(PipelineJson.ReadOptions(j, LogMelStage.TypeName, PipelineJsonContext.Default.LogMelOptions)));
        StageRegistry.Register(FixedLengthStage.TypeName, j => new FixedLengthStage(PipelineJson.ReadOptions(j, FixedLengthStage.TypeName, PipelineJsonContext.Default.FixedLengthOptions)));
        StageRegistry.Register(NormaliseTransformer.TypeName, NormaliseTransformer.Load);
        StageRegistry.Register(AddNoiseStage.TypeName, j => new AddNoiseStage(PipelineJson.ReadOptions(j, AddNoiseStage.TypeName, PipelineJsonContext.Default.NoiseOptions)));
        StageRegistry.Register(PitchShiftStage.TypeName, j => new PitchShiftStage(PipelineJson.ReadOptions(j, PitchShiftStage.TypeName, PipelineJsonContext.Default.PitchShiftOptions)));
        StageRegistry.Register(TimeStretchStage.TypeName, j => new TimeStretchStage(PipelineJson.ReadOptions(j, TimeStretchStage.TypeName, PipelineJsonContext.Default.TimeStretchOptions)));
        StageRegistry.Register(GainStage.TypeName, j => new GainStage(PipelineJson.ReadOptions(j, GainStage.TypeName, PipelineJsonContext.Default.GainOptions)));
        StageRegistry.Register(TimeShiftStage.TypeName, j => new TimeShiftStage(PipelineJson.ReadOptions(j, TimeShiftStage.TypeName, PipelineJsonContext.Default.TimeShiftOptions)));
        StageRegistry.Register(SpecAugmentStage.TypeName, j => new SpecAugmentStage(PipelineJson.ReadOptions(j, SpecAugmentStage.TypeName, PipelineJsonContext.Default.SpecAugmentOptions)));
    }
}
