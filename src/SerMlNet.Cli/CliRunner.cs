using System.CommandLine;
using System.CommandLine.Parsing;

namespace SerMlNet.Cli;

/// <summary>
/// Runs a command tree with the project's error contract: a wrong command line or a failed job prints one line to
/// standard error and returns a non-zero exit code, never a stack trace (set <c>SERMLNET_DEBUG=1</c> to see one).
/// Shared by <c>ser</c> and <c>Predict</c> (which links this file rather than referencing the CLI); stateless and
/// thread-safe.
/// </summary>
public static class CliRunner
{
    /// <summary>Exit code of a command that did its work.</summary>
    public const int ExitSuccess = 0;

    /// <summary>Exit code of a command that failed while working (bad input file, missing engine, ...).</summary>
    public const int ExitFailure = 1;

    /// <summary>Exit code of a command line that could not be parsed.</summary>
    public const int ExitUsage = 2;

    /// <summary>Parses and invokes <paramref name="root"/>.</summary>
    /// <param name="root">The command tree.</param>
    /// <param name="args">Command-line arguments.</param>
    /// <param name="programName">Name printed in front of error lines.</param>
    /// <returns>The exit code.</returns>
    public static int Run(RootCommand root, string[] args, string programName)
    {
        ArgumentNullException.ThrowIfNull(root);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            string command = parsed.CommandResult.Command == root ? programName : $"{programName} {parsed.CommandResult.Command.Name}";
            Console.Error.WriteLine($"{programName}: {DescribeParseErrors(parsed.Errors)} (see '{command} --help')");
            return ExitUsage;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"{programName}: {Describe(ex)}");
            if (Environment.GetEnvironmentVariable("SERMLNET_DEBUG") == "1")
            {
                Console.Error.WriteLine(ex);
            }
            return ex is UsageException ? ExitUsage : ExitFailure;
        }
    }

    /// <summary>
    /// Every parse error on one line: System.CommandLine reports one error per problem and some messages span lines
    /// (e.g. a list of allowed values); they are flattened and joined with <c>"; "</c>, duplicates dropped.
    /// </summary>
    /// <param name="errors">The parse errors; at least one.</param>
    /// <returns>A single line.</returns>
    public static string DescribeParseErrors(IReadOnlyList<ParseError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var messages = new List<string>(errors.Count);
        foreach (ParseError error in errors)
        {
            string message = OneLine(error.Message);
            if (message.Length > 0 && !messages.Contains(message))
            {
                messages.Add(message);
            }
        }
        return string.Join("; ", messages);
    }

    /// <summary>A text as one line: line breaks and the blanks around them become single spaces.</summary>
    /// <param name="text">Any text.</param>
    /// <returns>The text on one line.</returns>
    public static string OneLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>
    /// One line describing an exception, with the innermost useful cause. A <see cref="SerMlNetException"/> (every failure
    /// SerMlNet reports on purpose, <see cref="UsageException"/> included) and the BCL's file-system and cancellation
    /// errors (<see cref="IOException"/>, <see cref="UnauthorizedAccessException"/>, <see cref="OperationCanceledException"/>)
    /// are their message alone; anything else is a bug and says so: its type name follows the message.
    /// </summary>
    /// <param name="ex">The exception.</param>
    /// <returns>A single-line message.</returns>
    public static string Describe(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        Exception inner = ex;
        while (inner is AggregateException { InnerExceptions.Count: 1 } agg)
        {
            inner = agg.InnerExceptions[0];
        }
        string message = OneLine(inner.Message);
        return inner is SerMlNetException or IOException or UnauthorizedAccessException or OperationCanceledException
            ? message
            : $"{message} ({inner.GetType().Name})";
    }

    /// <summary>
    /// Whether an error is about one input audio file (missing, unreadable, or not a WAV file SerMlNet decodes), so a
    /// command over many files reports that file in one line and goes on with the others.
    /// </summary>
    /// <param name="ex">The exception.</param>
    /// <returns>True for <see cref="IOException"/>, <see cref="UnauthorizedAccessException"/> and <see cref="Audio.Wav.WavFormatException"/>.</returns>
    public static bool IsBadInputFile(Exception ex) =>
        ex is IOException or UnauthorizedAccessException or Audio.Wav.WavFormatException;
}

/// <summary>A command line that parsed but makes no sense (conflicting or out-of-range options); exit code
/// <see cref="CliRunner.ExitUsage"/>.</summary>
/// <param name="message">What is wrong, in one line.</param>
public sealed class UsageException(string message) : SerMlNetException(message);
