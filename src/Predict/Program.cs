namespace SerMlNet.Predict;

/// <summary>Entry point of the Predict console.</summary>
public static class Program
{
    /// <summary>Runs the command line.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <returns>The process exit code.</returns>
    public static int Main(string[] args) => 0;
}
