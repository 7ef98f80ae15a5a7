using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace SerMlNet.ML.Saving;

/// <summary>
/// The last stage of a saved emotion model: a <c>CustomMapping</c> (contract <see cref="ContractName"/>) that turns the
/// graph's one-element string tensor into a scalar text column. ML.NET's <c>ApplyOnnxModel</c> reads string outputs
/// only as vectors (a rank-0 string output fails in its object getter), and a scalar <c>PredictedLabel</c> binds to a
/// <c>string</c> property of a prediction class. Stateless; thread-safe.
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class LabelText : CustomMappingFactory<LabelText.VectorRow, LabelText.TextRow>
{
    /// <summary>The contract name saved in the model.</summary>
    public const string ContractName = "SerMlNet.LabelText";

    /// <summary>Copies the one label out.</summary>
    /// <param name="input">The graph's label vector.</param>
    /// <param name="output">Receives the label.</param>
    public static void Map(VectorRow input, TextRow output) =>
        output.PredictedLabel = input.Label is [string label] ? label : string.Empty;

    /// <inheritdoc />
    public override Action<VectorRow, TextRow> GetMapping() => Map;

    /// <summary>The input row: the graph's label output.</summary>
    public sealed class VectorRow
    {
        /// <summary>One label.</summary>
        [VectorType(1)]
        [ColumnName(SerMlNet.Onnx.ClipScoringExporter.LabelOutput)]
        public string[] Label { get; set; } = [];
    }

    /// <summary>The output row.</summary>
    public sealed class TextRow
    {
        /// <summary>The predicted label.</summary>
        [ColumnName(EmotionModelZip.PredictedLabelColumn)]
        public string PredictedLabel { get; set; } = string.Empty;
    }
}
