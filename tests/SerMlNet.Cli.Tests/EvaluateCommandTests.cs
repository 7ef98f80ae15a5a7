namespace SerMlNet.Cli.Tests;

public class EvaluateCommandTests
{
    [Theory]
    [InlineData("abc", "'abc' is not a number of semitones")]
    [InlineData("", "'' is not a number of semitones")]
    [InlineData("0", "shift 0 is not a non-zero number of semitones")]
    [InlineData("-4,13", "shift 13 is not a non-zero number of semitones in [-12, 12]")]
    [InlineData("2,2", "a shift is repeated")]
    public void Bad_pitch_shifts_give_one_line_and_a_usage_exit_code(string shifts, string expected)
    {
        // The list is checked before the model or data are opened, so no model file is needed.
        var (code, _, err) = SerProcess.Run("evaluate", "--model", "missing.onnx", "--data", "missing-data", "--pitch-shifts", shifts);
        Assert.Equal(2, code);
        string line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("ser: --pitch-shifts: ", line);
        Assert.Contains(expected, line);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void Speaker_calibration_with_pitch_shifts_is_refused_in_one_line()
    {
        var (code, _, err) = SerProcess.Run("evaluate", "--model", "missing.onnx", "--data", "missing-data", "--pitch-shifts", "2", "--speaker-calibration");
        Assert.Equal(2, code);
        string line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("ser: --speaker-calibration and --pitch-shifts cannot be combined (the pitch audit scores the plain model)", line);
    }
}
