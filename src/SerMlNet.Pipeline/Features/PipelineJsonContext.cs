using System.Text.Json;
using System.Text.Json.Serialization;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Spectral;
using SerMlNet.Audio.Trimming;
using SerMlNet.Pipeline.Augmentation;
using SerMlNet.Pipeline.Jobs;

namespace SerMlNet.Pipeline.Features;

/// <summary>
/// Source-generated serialization metadata for the files of the pipeline layer (stage options, the normalisation state,
/// job sections, <c>prepare.json</c>), with the conventions of <see cref="PipelineJson"/>: camelCase names, camelCase
/// enum strings (integers rejected), indented, unknown members are errors, <c>NaN</c>/<c>Infinity</c> as strings. No
/// reflection, so the pipeline loads the same in a Native AOT program (Predict). Thread-safe.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    Converters =
    [
        typeof(CamelCaseEnumConverter<AugmentationMode>),
        typeof(CamelCaseEnumConverter<CropAlignment>),
        typeof(CamelCaseEnumConverter<MelNorm>),
        typeof(CamelCaseEnumConverter<NoiseColour>),
        typeof(CamelCaseEnumConverter<NormalisationMode>),
        typeof(CamelCaseEnumConverter<PadMode>),
    ])]
[JsonSerializable(typeof(LoadAudioOptions))]
[JsonSerializable(typeof(TrimOptions))]
[JsonSerializable(typeof(LogMelOptions))]
[JsonSerializable(typeof(FixedLengthOptions))]
[JsonSerializable(typeof(NormaliseOptions))]
[JsonSerializable(typeof(NormalisationMode))]
[JsonSerializable(typeof(NormaliseState))]
[JsonSerializable(typeof(NoiseOptions))]
[JsonSerializable(typeof(PitchShiftOptions))]
[JsonSerializable(typeof(SpeedPerturbationOptions))]
[JsonSerializable(typeof(TimeStretchOptions))]
[JsonSerializable(typeof(GainOptions))]
[JsonSerializable(typeof(TimeShiftOptions))]
[JsonSerializable(typeof(SpecAugmentOptions))]
[JsonSerializable(typeof(AugmentationOptions))]
[JsonSerializable(typeof(FrontEndOptions))]
[JsonSerializable(typeof(DataOptions))]
[JsonSerializable(typeof(PreparationSummary))]
internal sealed partial class PipelineJsonContext : JsonSerializerContext;

/// <summary>An enum as its camelCase name (<c>"slaney"</c>, <c>"band"</c>); integers are rejected. Thread-safe.</summary>
/// <typeparam name="TEnum">The enum.</typeparam>
internal sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;
