using System.Text.Json.Serialization;

namespace SerMlNet.Onnx.Export;

/// <summary>Source-generated JSON for the label list (no reflection at start-up, which keeps cold starts short).</summary>
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class LabelsJsonContext : JsonSerializerContext
{
}
