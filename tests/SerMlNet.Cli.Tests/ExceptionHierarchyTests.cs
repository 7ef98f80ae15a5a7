extern alias predict;

using System.Reflection;
using SerMlNet.Audio;
using SerMlNet.Audio.Wav;
using SerMlNet.Evaluation.Metrics;
using SerMlNet.Onnx;
using SerMlNet.Pipeline.Features;
using SerMlNet.Serving.Http;
using SerMlNet.Training.Engine;

namespace SerMlNet.Cli.Tests;

/// <summary>
/// One exception base type for the project: every exception type in every SerMlNet assembly derives from
/// <see cref="SerMlNetException"/>, and the consoles turn it into their one-line message.
/// </summary>
public class ExceptionHierarchyTests
{
    /// <summary>Every shipped assembly: the six libraries, <c>ser</c> and <c>Predict</c>.</summary>
    private static readonly Assembly[] Shipped =
    [
        typeof(SerMlNetException).Assembly,                 // SerMlNet.Audio
        typeof(PipelineFormatException).Assembly,           // SerMlNet.Pipeline
        typeof(TorchEngineException).Assembly,              // SerMlNet.Training
        typeof(OnnxModelException).Assembly,                // SerMlNet.Onnx
        typeof(Evaluator).Assembly,                         // SerMlNet.Evaluation
        typeof(RequestRejectedException).Assembly,          // SerMlNet.Serving
        typeof(SerMlNet.ML.MlNetComparison).Assembly,       // SerMlNet.ML
        typeof(CliRunner).Assembly,                         // ser
        typeof(predict::SerMlNet.Predict.Program).Assembly, // Predict
    ];

    [Fact]
    public void Every_exception_type_in_every_assembly_derives_from_SerMlNetException()
    {
        var stray = new List<string>();
        var found = new List<Type>();
        foreach (Assembly assembly in Shipped)
        {
            // Every type, public, internal or nested private: a new stray exception fails here wherever it hides.
            foreach (Type type in assembly.GetTypes().Where(t => typeof(Exception).IsAssignableFrom(t)))
            {
                found.Add(type);
                if (!typeof(SerMlNetException).IsAssignableFrom(type))
                {
                    stray.Add($"{assembly.GetName().Name}: {type.FullName} : {type.BaseType?.FullName}");
                }
            }
        }
        Assert.True(stray.Count == 0, "exception types that do not derive from SerMlNetException:\n" + string.Join("\n", stray));
        // Not vacuous: the scan sees the known families, and UsageException in both consoles.
        Assert.Contains(typeof(WavFormatException), found);
        Assert.Contains(typeof(OptionsValidationException), found);
        Assert.Contains(typeof(SchemaMismatchException), found);
        Assert.Contains(typeof(InvalidModelException), found);
        Assert.Contains(typeof(TorchEngineException), found);
        Assert.Contains(typeof(RequestBodyTooLargeException), found);
        Assert.Contains(typeof(UsageException), found);
        Assert.Contains(typeof(predict::SerMlNet.Cli.UsageException), found);
    }

    [Fact]
    public void Every_SerMlNet_assembly_beside_the_tests_is_scanned()
    {
        // A new project (SerMlNet.Something) must join the list above, or the first test would not guard it.
        string[] beside = Directory.GetFiles(AppContext.BaseDirectory, "*.dll")
            .Select(Path.GetFileNameWithoutExtension)
            .Select(name => name!)
            .Where(name => (name.StartsWith("SerMlNet.", StringComparison.Ordinal) && !name.EndsWith(".Tests", StringComparison.Ordinal))
                || name is "ser" or "Predict")
            .Order(StringComparer.Ordinal)
            .ToArray();
        string[] scanned = Shipped.Select(a => a.GetName().Name!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(scanned, beside);
    }

    [Fact]
    public void Project_exceptions_are_one_line_without_a_type_name_and_anything_else_names_its_type()
    {
        Assert.Equal("bad.wav: not a WAV file", CliRunner.Describe(new WavFormatException("bad.wav", "not a WAV file")));
        Assert.Equal("--top: must be positive", CliRunner.Describe(new UsageException("--top: must be positive")));
        Assert.Equal("model file 'm.onnx' does not exist", CliRunner.Describe(new ModelFileNotFoundException("m.onnx")));
        Assert.Equal("first second", CliRunner.Describe(new AggregateException(new SchemaMismatchException("first\n  second"))));
        Assert.Equal("gone", CliRunner.Describe(new FileNotFoundException("gone")));
        Assert.Equal("The operation was canceled.", CliRunner.Describe(new OperationCanceledException()));
        Assert.Equal("oops (InvalidOperationException)", CliRunner.Describe(new InvalidOperationException("oops")));
    }
}
