using Spectre.Console;

namespace SerMlNet.Cli;

/// <summary>Progress bars for long work (Spectre.Console); plain when the output is not a terminal.</summary>
internal static class ConsoleProgress
{
    /// <summary>Runs work that reports (done, total) under one progress bar.</summary>
    /// <typeparam name="T">The work's result.</typeparam>
    /// <param name="description">What is being done.</param>
    /// <param name="work">The work; it receives a thread-safe progress sink.</param>
    /// <returns>The work's result.</returns>
    public static T Run<T>(string description, Func<IProgress<(int Done, int Total)>, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!Interactive)
        {
            // Logs (CI, redirected output) get one line at the start and one at the end, not a redraw per update.
            Console.Out.WriteLine($"{description}...");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            T plain = work(new ActionProgress<(int Done, int Total)>(_ => { }));
            Console.Out.WriteLine($"{description}: done in {clock.Elapsed.TotalSeconds:F1} s");
            return plain;
        }
        T result = default!;
        NewProgress().Start(ctx =>
        {
            ProgressTask task = ctx.AddTask(Markup.Escape(description), maxValue: 1);
            result = work(new Sink(task));
            task.Value = task.MaxValue;
        });
        return result;
    }

    /// <summary>Whether the console is a terminal that can redraw progress bars.</summary>
    public static bool Interactive => AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;

    /// <summary>A progress display with bar, percentage, elapsed and remaining time.</summary>
    /// <returns>The display.</returns>
    public static Progress NewProgress() => AnsiConsole.Progress()
        .AutoClear(false)
        .HideCompleted(false)
        .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn());

    private sealed class Sink(ProgressTask task) : IProgress<(int Done, int Total)>
    {
        private readonly Lock _gate = new();

        public void Report((int Done, int Total) value)
        {
            lock (_gate)
            {
                task.MaxValue = Math.Max(1, value.Total);
                task.Value = Math.Max(task.Value, value.Done);
            }
        }
    }
}

/// <summary>An <see cref="IProgress{T}"/> that calls <paramref name="report"/> synchronously on the reporting thread
/// (unlike <see cref="Progress{T}"/>, which posts every report to the thread pool when there is no synchronisation
/// context).</summary>
/// <typeparam name="T">The progress value.</typeparam>
/// <param name="report">Called with each value.</param>
internal sealed class ActionProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
