namespace SerMlNet.Onnx;

/// <summary>Collects validation problems and throws them together. Not thread-safe.</summary>
internal sealed class ValidationErrors(string subject)
{
    private readonly List<string> _errors = [];

    /// <summary>Records <paramref name="message"/> unless <paramref name="condition"/> holds.</summary>
    /// <param name="condition">What must be true.</param>
    /// <param name="message">The problem when it is not.</param>
    /// <returns><paramref name="condition"/>.</returns>
    public bool Require(bool condition, string message)
    {
        if (!condition)
        {
            _errors.Add(message);
        }
        return condition;
    }

    /// <summary>Records a problem.</summary>
    /// <param name="message">The problem.</param>
    public void Add(string message) => _errors.Add(message);

    /// <summary>Throws <see cref="OnnxValidationException"/> listing every problem, if there is any.</summary>
    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
        {
            throw new OnnxValidationException(subject, _errors.ToArray());
        }
    }

    /// <summary>Whether every value is finite (and, with <paramref name="nonNegative"/>, not below 0).</summary>
    /// <param name="values">The values.</param>
    /// <param name="nonNegative">Also require values ≥ 0.</param>
    /// <returns>True when all values qualify (and for no values).</returns>
    public static bool AllFinite(float[] values, bool nonNegative = false)
    {
        foreach (float v in values)
        {
            if (!float.IsFinite(v) || (nonNegative && v < 0))
            {
                return false;
            }
        }
        return true;
    }
}
