using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using SerMlNet.Audio;
using SerMlNet.Audio.Normalisation;
using SerMlNet.Audio.Spectral;
using SerMlNet.Audio.Trimming;
using SerMlNet.Pipeline.Augmentation;

namespace SerMlNet.Pipeline.Features;

/// <summary>
/// The saved form of a <see cref="FittedFrontEnd"/>: <c>{"format": "sermlnet-pipeline", "version": 1, "stages": [...]}</c>,
/// each stage an object with a <c>type</c> and its options (and, for <c>normalise</c>, the fitted statistics). Written in
/// a fixed order: <c>loadAudio</c>, <c>trim</c> (optional), the waveform augmentations (<c>timeStretch</c>,
/// <c>pitchShift</c>, <c>timeShift</c>, <c>gain</c>, <c>addNoise</c>), <c>logMel</c>, <c>fixedLength</c>, <c>normalise</c>
/// (optional), <c>specAugment</c>. Read with a fixed switch over these types: augmentation entries are accepted anywhere
/// (they are inert at inference), the others must come in that order. Stateless; thread-safe.
/// </summary>
internal static class FittedFrontEndJson
{
    private const string LoadAudio = "loadAudio";
    private const string Trim = "trim";
    private const string LogMel = "logMel";
    private const string FixedLength = "fixedLength";
    private const string Normalise = "normalise";
    private const string SpeedPerturbation = "speedPerturbation";
    private const string TimeStretch = "timeStretch";
    private const string PitchShift = "pitchShift";
    private const string TimeShift = "timeShift";
    private const string Gain = "gain";
    private const string AddNoise = "addNoise";
    private const string SpecAugment = "specAugment";

    private const string Layout = "a SerMlNet front end is loadAudio, trim (optional), logMel, fixedLength, normalise (optional), with augmentation stages anywhere";

    private static readonly string[] KnownTypes = [AddNoise, FixedLength, Gain, LoadAudio, LogMel, Normalise, PitchShift, SpecAugment, SpeedPerturbation, TimeShift, TimeStretch, Trim];

    /// <summary>One saved stage: its type, its body without <c>type</c>, and whether it comes after <c>fixedLength</c> (normalisation, SpecAugment).</summary>
    internal readonly record struct Entry(string Type, JsonObject Body, bool AfterFixedLength);

    /// <summary>The stages of a front end in saved order.</summary>
    public static IEnumerable<Entry> Entries(FittedFrontEnd frontEnd)
    {
        PipelineJsonContext context = PipelineJsonContext.Default;
        yield return new Entry(LoadAudio, Node(new LoadAudioOptions { SampleRate = frontEnd.SampleRate }, context.LoadAudioOptions), false);
        if (frontEnd.Trim is { } trim)
        {
            yield return new Entry(Trim, Node(trim, context.TrimOptions), false);
        }
        AugmentationOptions? augmentation = frontEnd.Augmentation;
        if (augmentation?.SpeedPerturbation is { } speed)
        {
            yield return new Entry(SpeedPerturbation, Node(speed, context.SpeedPerturbationOptions), false);
        }
        if (augmentation?.TimeStretch is { } stretch)
        {
            yield return new Entry(TimeStretch, Node(stretch, context.TimeStretchOptions), false);
        }
        if (augmentation?.PitchShift is { } pitch)
        {
            yield return new Entry(PitchShift, Node(pitch, context.PitchShiftOptions), false);
        }
        if (augmentation?.TimeShift is { } shift)
        {
            yield return new Entry(TimeShift, Node(shift, context.TimeShiftOptions), false);
        }
        if (augmentation?.Gain is { } gain)
        {
            yield return new Entry(Gain, Node(gain, context.GainOptions), false);
        }
        if (augmentation?.Noise is { } noise)
        {
            yield return new Entry(AddNoise, Node(noise, context.NoiseOptions), false);
        }
        yield return new Entry(LogMel, Node(frontEnd.LogMel, context.LogMelOptions), false);
        yield return new Entry(FixedLength, Node(frontEnd.FixedLength, context.FixedLengthOptions), false);
        if (frontEnd.Normalization is { } mode)
        {
            var body = new JsonObject { ["mode"] = JsonSerializer.SerializeToNode(mode, context.NormalisationMode) };
            if (frontEnd.Statistics is { } statistics)
            {
                body["count"] = statistics.Count;
                body["mean"] = new JsonArray([.. statistics.Mean.Select(v => (JsonNode)v)]);
                body["std"] = new JsonArray([.. statistics.Std.Select(v => (JsonNode)v)]);
            }
            yield return new Entry(Normalise, body, true);
        }
        if (augmentation?.SpecAugment is { } spec)
        {
            yield return new Entry(SpecAugment, Node(spec, context.SpecAugmentOptions), true);
        }
    }

    /// <summary>The saved JSON of some stages: each entry's <c>type</c> first, then its body.</summary>
    public static JsonObject Save(IEnumerable<Entry> entries)
    {
        var stages = new JsonArray();
        foreach (Entry stage in entries)
        {
            var entry = new JsonObject { ["type"] = stage.Type };
            foreach ((string key, JsonNode? value) in stage.Body)
            {
                entry[key] = value?.DeepClone();
            }
            stages.Add((JsonNode)entry);
        }
        return new JsonObject { ["format"] = FittedFrontEnd.FormatName, ["version"] = FittedFrontEnd.FormatVersion, ["stages"] = stages };
    }

    /// <summary>Reads a saved front end.</summary>
    public static FittedFrontEnd Read(string json)
    {
        JsonObject root;
        string? format;
        int? version;
        try
        {
            root = JsonNode.Parse(json)?.AsObject() ?? throw new PipelineFormatException("empty pipeline JSON");
            format = root["format"]?.GetValue<string>();
            version = root["version"]?.GetValue<int>();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new PipelineFormatException($"not valid pipeline JSON: {ex.Message}", ex);
        }
        if (format != FittedFrontEnd.FormatName || version != FittedFrontEnd.FormatVersion)
        {
            throw new PipelineFormatException($"format is '{format}' version {version?.ToString() ?? "?"}, expected '{FittedFrontEnd.FormatName}' version {FittedFrontEnd.FormatVersion}");
        }
        if (root["stages"] is not JsonArray stages)
        {
            throw new PipelineFormatException("stages: missing (an array of stage objects)");
        }

        PipelineJsonContext context = PipelineJsonContext.Default;
        LoadAudioOptions? load = null;
        TrimOptions? trim = null;
        LogMelOptions? logMel = null;
        FixedLengthOptions? fixedLength = null;
        NormalisationMode? mode = null;
        BandStatistics? statistics = null;
        SpeedPerturbationOptions? speed = null;
        TimeStretchOptions? stretch = null;
        PitchShiftOptions? pitch = null;
        TimeShiftOptions? shift = null;
        GainOptions? gain = null;
        NoiseOptions? noise = null;
        SpecAugmentOptions? spec = null;
        // 0: expects loadAudio; 1: trim or logMel; 2: logMel; 3: fixedLength; 4: normalise or the end; 5: the end.
        int phase = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < stages.Count; i++)
        {
            string where = $"stages[{i}]";
            if (stages[i] is not JsonObject stage)
            {
                throw new PipelineFormatException($"{where}: expected an object");
            }
            string type = stage["type"]?.GetValueKind() == JsonValueKind.String ? stage["type"]!.GetValue<string>() : throw new PipelineFormatException($"{where}.type: missing (a string naming the stage)");
            if (Array.IndexOf(KnownTypes, type) < 0)
            {
                throw new PipelineFormatException($"{where}.type: unknown stage '{type}' (known: {string.Join(", ", KnownTypes)})");
            }
            if (!seen.Add(type))
            {
                throw new PipelineFormatException($"{where}: a second '{type}' stage ({Layout})");
            }
            try
            {
                switch (type)
                {
                    case LoadAudio:
                        Expect(phase == 0, where, type);
                        load = Read(stage, where, context.LoadAudioOptions, o => o.Validate());
                        phase = 1;
                        break;
                    case Trim:
                        Expect(phase == 1, where, type);
                        trim = Read(stage, where, context.TrimOptions, o => o.Validate());
                        phase = 2;
                        break;
                    case LogMel:
                        Expect(phase is 1 or 2, where, type);
                        logMel = Read(stage, where, context.LogMelOptions, o => o.Validate());
                        phase = 3;
                        break;
                    case FixedLength:
                        Expect(phase == 3, where, type);
                        fixedLength = Read(stage, where, context.FixedLengthOptions, o => o.Validate());
                        phase = 4;
                        break;
                    case Normalise:
                        Expect(phase == 4, where, type);
                        (mode, statistics) = ReadNormalise(stage, where);
                        phase = 5;
                        break;
                    case SpeedPerturbation:
                        speed = Read(stage, where, context.SpeedPerturbationOptions, o => o.Validate());
                        break;
                    case TimeStretch:
                        stretch = Read(stage, where, context.TimeStretchOptions, o => o.Validate());
                        break;
                    case PitchShift:
                        pitch = Read(stage, where, context.PitchShiftOptions, o => o.Validate());
                        break;
                    case TimeShift:
                        shift = Read(stage, where, context.TimeShiftOptions, o => o.Validate());
                        break;
                    case Gain:
                        gain = Read(stage, where, context.GainOptions, o => o.Validate());
                        break;
                    case AddNoise:
                        noise = Read(stage, where, context.NoiseOptions, o => o.Validate());
                        break;
                    default:
                        spec = Read(stage, where, context.SpecAugmentOptions, o => o.Validate());
                        break;
                }
            }
            catch (Exception ex) when (ex is OptionsValidationException or ArgumentException)
            {
                throw new PipelineFormatException($"{where} ({type}): {ex.Message.ReplaceLineEndings(" ")}", ex);
            }
        }
        if (phase < 4)
        {
            string missing = phase switch { 0 => LoadAudio, 1 or 2 => LogMel, _ => FixedLength };
            throw new PipelineFormatException($"stages: no '{missing}' stage ({Layout}; found: {(seen.Count == 0 ? "none" : string.Join(", ", stages.Select(s => s?["type"]?.ToString())))})");
        }
        bool anyAugmentation = speed is not null || stretch is not null || pitch is not null || shift is not null || gain is not null || noise is not null || spec is not null;
        AugmentationOptions? augmentation = anyAugmentation
            ? new AugmentationOptions { SpeedPerturbation = speed, TimeStretch = stretch, PitchShift = pitch, TimeShift = shift, Gain = gain, Noise = noise, SpecAugment = spec }
            : null;
        try
        {
            return new FittedFrontEnd(load!.SampleRate, trim, logMel!, fixedLength!, mode, statistics, augmentation);
        }
        catch (Exception ex) when (ex is OptionsValidationException or ArgumentException)
        {
            throw new PipelineFormatException($"stages: {ex.Message.ReplaceLineEndings(" ")}", ex);
        }
    }

    private static (NormalisationMode Mode, BandStatistics? Statistics) ReadNormalise(JsonObject stage, string where)
    {
        NormaliseState state = PipelineJson.ReadOptions(stage, where, PipelineJsonContext.Default.NormaliseState);
        if (!Enum.IsDefined(state.Mode))
        {
            throw new PipelineFormatException($"{where}.mode: {(int)state.Mode} is not defined");
        }
        if (state.Mode == NormalisationMode.Utterance)
        {
            return (state.Mode, null);
        }
        if (state.Mean is null || state.Std is null || state.Mean.Length != state.Std.Length || state.Mean.Length == 0)
        {
            throw new PipelineFormatException($"{where} ({Normalise}): band mode needs 'mean' and 'std' arrays of equal, non-zero length");
        }
        return (state.Mode, new BandStatistics(state.Mean, state.Std, state.Count));
    }

    private static void Expect(bool allowed, string where, string type)
    {
        if (!allowed)
        {
            throw new PipelineFormatException($"{where}: '{type}' cannot come here ({Layout})");
        }
    }

    /// <summary>A stage's options, read (unknown or mistyped fields rejected) and validated.</summary>
    private static T Read<T>(JsonObject stage, string where, JsonTypeInfo<T> typeInfo, Action<T> validate)
    {
        T options = PipelineJson.ReadOptions(stage, where, typeInfo);
        validate(options);
        return options;
    }

    private static JsonObject Node<T>(T value, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.SerializeToNode(value, typeInfo)!.AsObject();
}

/// <summary>The <c>normalise</c> stage's saved object: mode and, in band mode, the fitted statistics.</summary>
internal sealed class NormaliseState
{
    public NormalisationMode Mode { get; set; }

    public long Count { get; set; }

    public double[]? Mean { get; set; }

    public double[]? Std { get; set; }
}
