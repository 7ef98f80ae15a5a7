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
        StageRegistry.Register(LoadAudioStage.TypeName, j => new LoadAudioStage(PipelineJson.ReadOptions<LoadAudioOptions>(j, LoadAudioStage.TypeName)));
        StageRegistry.Register(TrimStage.TypeName, j => new TrimStage(PipelineJson.ReadOptions<TrimOptions>(j, TrimStage.TypeName)));
        StageRegistry.Register(LogMelStage.TypeName, j => new LogMelStage(PipelineJson.ReadOptions<LogMelOptions>(j, LogMelStage.TypeName)));
        StageRegistry.Register(FixedLengthStage.TypeName, j => new FixedLengthStage(PipelineJson.ReadOptions<FixedLengthOptions>(j, FixedLengthStage.TypeName)));
        StageRegistry.Register(NormaliseTransformer.TypeName, NormaliseTransformer.Load);
        StageRegistry.Register(AddNoiseStage.TypeName, j => new AddNoiseStage(PipelineJson.ReadOptions<NoiseOptions>(j, AddNoiseStage.TypeName)));
        StageRegistry.Register(PitchShiftStage.TypeName, j => new PitchShiftStage(PipelineJson.ReadOptions<PitchShiftOptions>(j, PitchShiftStage.TypeName)));
        StageRegistry.Register(TimeStretchStage.TypeName, j => new TimeStretchStage(PipelineJson.ReadOptions<TimeStretchOptions>(j, TimeStretchStage.TypeName)));
        StageRegistry.Register(GainStage.TypeName, j => new GainStage(PipelineJson.ReadOptions<GainOptions>(j, GainStage.TypeName)));
        StageRegistry.Register(TimeShiftStage.TypeName, j => new TimeShiftStage(PipelineJson.ReadOptions<TimeShiftOptions>(j, TimeShiftStage.TypeName)));
        StageRegistry.Register(SpecAugmentStage.TypeName, j => new SpecAugmentStage(PipelineJson.ReadOptions<SpecAugmentOptions>(j, SpecAugmentStage.TypeName)));
    }
}
