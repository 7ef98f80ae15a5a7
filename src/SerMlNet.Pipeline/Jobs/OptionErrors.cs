using SerMlNet.Audio;

namespace SerMlNet.Pipeline.Jobs;

/// <summary>Turns options validation failures into field-path-prefixed messages (e.g. <c>frontEnd.trim.topDb must be …</c>).</summary>
public static class OptionErrors
{
    /// <summary>Runs a validation and adds its errors, each prefixed with <paramref name="path"/>.</summary>
    /// <param name="errors">Where errors are collected.</param>
    /// <param name="path">The JSON path of the options (camelCase).</param>
    /// <param name="validate">The validation (throws <see cref="OptionsValidationException"/>), or null to skip.</param>
    public static void Collect(List<string> errors, string path, Action? validate)
    {
        ArgumentNullException.ThrowIfNull(errors);
        try
        {
            validate?.Invoke();
        }
        catch (OptionsValidationException ex)
        {
            errors.AddRange(ex.Errors.Select(e => Prefix(path, e)));
        }
    }

    /// <summary>Prefixes messages with a path.</summary>
    /// <param name="path">The path, e.g. <c>frontEnd</c>.</param>
    /// <param name="messages">Messages that start with a field name in PascalCase or camelCase.</param>
    /// <returns>The prefixed messages.</returns>
    public static IEnumerable<string> Prefix(string path, IEnumerable<string> messages) => messages.Select(m => Prefix(path, m));

    private static string Prefix(string path, string message) =>
        message.Length > 0 && char.IsUpper(message[0]) && message.Contains(' ', StringComparison.Ordinal)
            ? $"{path}.{char.ToLowerInvariant(message[0])}{message[1..]}"
            : $"{path}.{message}";
}
