namespace SerMlNet.Audio;

/// <summary>
/// An options object with one or more invalid fields. Every bad field is reported together, one line each in
/// <see cref="Errors"/>, so a caller can fix them all at once. Thrown by the <c>Validate()</c> method of every options
/// type in SerMlNet.
/// </summary>
public sealed class OptionsValidationException : SerMlNetException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="optionsType">Name of the options type that failed validation, e.g. <c>StftOptions</c>.</param>
    /// <param name="errors">One message per invalid field; at least one.</param>
    public OptionsValidationException(string optionsType, IReadOnlyList<string> errors)
        : base(BuildMessage(optionsType, errors))
    {
        OptionsType = optionsType;
        Errors = errors;
    }

    /// <summary>Name of the options type that failed validation.</summary>
    public string OptionsType { get; }

    /// <summary>Every problem found, one line per invalid field (never empty).</summary>
    public IReadOnlyList<string> Errors { get; }

    private static string BuildMessage(string optionsType, IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("at least one error is required", nameof(errors));
        }
        return $"invalid {optionsType}: {string.Join("; ", errors)}";
    }
}

/// <summary>Collects validation errors for one options type and throws them together (every options type in SerMlNet
/// validates through it). Not thread-safe.</summary>
/// <param name="optionsType">The options type named in the exception, e.g. <c>nameof(StftOptions)</c>.</param>
public sealed class ValidationErrors(string optionsType)
{
    private readonly List<string> _errors = [];

    /// <summary>Records <paramref name="message"/> when <paramref name="ok"/> is false.</summary>
    /// <param name="ok">What must hold.</param>
    /// <param name="message">The problem when it does not.</param>
    public void Require(bool ok, string message)
    {
        if (!ok)
        {
            _errors.Add(message);
        }
    }

    /// <summary>Records a problem.</summary>
    /// <param name="message">The problem.</param>
    public void Add(string message) => _errors.Add(message);

    /// <summary>Throws an <see cref="OptionsValidationException"/> if any error was recorded.</summary>
    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
        {
            throw new OptionsValidationException(optionsType, _errors.ToArray());
        }
    }
}
