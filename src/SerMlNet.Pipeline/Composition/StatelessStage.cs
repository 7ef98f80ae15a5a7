using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace SerMlNet.Pipeline.Composition;

/// <summary>
/// Base of stages that learn nothing from data: they are transformers from the start (append them to an
/// <see cref="EstimatorChain"/> as they are) and save their options as JSON. Thread-safe when <typeparamref name="TOptions"/> is immutable.
/// </summary>
/// <typeparam name="TOptions">The stage's sealed options type.</typeparam>
public abstract class StatelessStage<TOptions> : ITransformer
    where TOptions : class
{
    private readonly JsonTypeInfo<TOptions> _optionsJson;

    /// <summary>Creates the stage, validating its options once.</summary>
    /// <param name="options">The options.</param>
    /// <param name="validate">The options' own validation, throwing on bad fields.</param>
    /// <param name="optionsJson">Serialization metadata of the options (source-generated, following <see cref="PipelineJson"/>'s conventions), used by <see cref="Save"/>.</param>
    protected StatelessStage(TOptions options, Action<TOptions> validate, JsonTypeInfo<TOptions> optionsJson)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(validate);
        ArgumentNullException.ThrowIfNull(optionsJson);
        validate(options);
        Options = options;
        _optionsJson = optionsJson;
    }

    /// <summary>The stage's options.</summary>
    public TOptions Options { get; }

    /// <inheritdoc />
    public abstract string StageType { get; }

    /// <inheritdoc />
    public virtual StageTraits Traits => StageTraits.None;

    /// <inheritdoc />
    public abstract SampleSchema GetOutputSchema(SampleSchema input);

    /// <inheritdoc />
    public abstract Sample Transform(Sample input, TransformContext context);

    /// <inheritdoc />
    public JsonObject Save() => JsonSerializer.SerializeToNode(Options, _optionsJson)!.AsObject();
}
