using System.Reflection;
using System.Text.Json;

namespace SerMlNet.Onnx;

/// <summary>
/// What the exporter writes besides the network: class labels, the fitted front end and training metrics (as opaque
/// JSON strings, stored verbatim in <c>metadata_props</c>), and the producer's version. Validated by the exporter.
/// </summary>
public sealed class OnnxExportOptions
{
    /// <summary>Class labels in output order (e.g. the 8 RAVDESS emotions); non-empty, distinct, non-blank; one per logit.</summary>
    public required IReadOnlyList<string> ClassLabels { get; init; }

    /// <summary>The fitted front end as JSON (whatever the pipeline serialises); stored under <see cref="OnnxMetadataKeys.FrontEnd"/>. Must parse as JSON.</summary>
    public required string FrontEndJson { get; init; }

    /// <summary>Training / evaluation metrics as JSON, stored under <see cref="OnnxMetadataKeys.Metrics"/>; null (default) to store none. Must parse as JSON.</summary>
    public string? MetricsJson { get; init; }

    /// <summary>How the training data were split (JSON, opaque here), stored under <see cref="OnnxMetadataKeys.DataSplit"/>; null to omit.</summary>
    public string? DataSplitJson { get; init; }

    /// <summary>ModelProto <c>producer_version</c>; default this assembly's informational version.</summary>
    public string ProducerVersion { get; init; } = DefaultProducerVersion;

    /// <summary>ModelProto <c>model_version</c>; default 1. Positive.</summary>
    public long ModelVersion { get; init; } = 1;

    /// <summary>ModelProto <c>doc_string</c>; default a one-line description of the format.</summary>
    public string Description { get; init; } = "SerMlNet speech emotion recognition CNN";

    private static string DefaultProducerVersion =>
        typeof(OnnxExportOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(OnnxExportOptions).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";

    /// <summary>Checks every field and reports all problems at once.</summary>
    /// <exception cref="OnnxValidationException">One or more fields are invalid.</exception>
    public void Validate()
    {
        var errors = new ValidationErrors(nameof(OnnxExportOptions));
        AddErrors(errors);
        errors.ThrowIfAny();
    }

    internal void AddErrors(ValidationErrors errors)
    {
        if (ClassLabels is null || ClassLabels.Count == 0)
        {
            errors.Add("ClassLabels must hold at least one label");
        }
        else
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < ClassLabels.Count; i++)
            {
                string? label = ClassLabels[i];
                if (string.IsNullOrWhiteSpace(label))
                {
                    errors.Add($"ClassLabels[{i}] is blank");
                }
                else if (!seen.Add(label))
                {
                    errors.Add($"ClassLabels[{i}] '{label}' is a duplicate");
                }
            }
        }
        RequireJson(errors, nameof(FrontEndJson), FrontEndJson, required: true);
        RequireJson(errors, nameof(MetricsJson), MetricsJson, required: false);
        errors.Require(!string.IsNullOrWhiteSpace(ProducerVersion), "ProducerVersion must not be blank");
        errors.Require(ModelVersion > 0, $"ModelVersion must be positive (was {ModelVersion})");
        errors.Require(Description is not null, "Description must not be null");
    }

    private static void RequireJson(ValidationErrors errors, string name, string? json, bool required)
    {
        if (json is null)
        {
            errors.Require(!required, $"{name} is required");
            return;
        }
        try
        {
            using var _ = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            errors.Add($"{name} is not valid JSON: {e.Message}");
        }
    }
}
