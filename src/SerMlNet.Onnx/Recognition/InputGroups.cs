using System.Runtime.ExceptionServices;

namespace SerMlNet.Onnx.Recognition;

/// <summary>
/// Runs the batched overloads: inputs in groups of <see cref="InputsPerGroup"/>, one group per core at a time; each group
/// prepares its inputs, then scores all their windows together, so one group's network run overlaps another's
/// features and each run stays small enough for its activations to stay in cache. The first failing input (in input
/// order) is the error reported. Stateless; thread-safe.
/// </summary>
internal static class InputGroups
{
    /// <summary>Inputs scored together (features, then one network run).</summary>
    public const int InputsPerGroup = 8;

    /// <summary>Prepares and scores <paramref name="count"/> inputs.</summary>
    /// <param name="count">Number of inputs.</param>
    /// <param name="prepare">Prepares input <c>i</c>.</param>
    /// <param name="score">Scores a group of prepared inputs, one result each.</param>
    /// <returns>One result per input, in input order.</returns>
    public static RecognitionResult[] Run(int count, Func<int, PreparedInput> prepare, Func<PreparedInput[], RecognitionResult[]> score)
    {
        var results = new RecognitionResult[count];
        int groups = (count + InputsPerGroup - 1) / InputsPerGroup;
        var failures = new (int Index, Exception Error)?[groups];
        void RunGroup(int g)
        {
            int begin = g * InputsPerGroup, end = Math.Min(count, begin + InputsPerGroup);
            var items = new PreparedInput[end - begin];
            for (int i = begin; i < end; i++)
            {
                try
                {
                    items[i - begin] = prepare(i);
                }
                catch (Exception e)
                {
                    failures[g] = (i, e);
                    return;
                }
            }
            try
            {
                score(items).CopyTo(results, begin);
            }
            catch (Exception e)
            {
                failures[g] = (begin, e);
            }
        }
        if (groups <= 1)
        {
            for (int g = 0; g < groups; g++)
            {
                RunGroup(g);
            }
        }
        else
        {
            Parallel.For(0, groups, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, RunGroup);
        }
        // Every input before a group's first failure succeeded, so the smallest index is the first failing input.
        (int Index, Exception Error)? first = null;
        foreach ((int Index, Exception Error)? failure in failures)
        {
            if (failure is { } f && (first is null || f.Index < first.Value.Index))
            {
                first = f;
            }
        }
        if (first is { } firstFailure)
        {
            ExceptionDispatchInfo.Throw(firstFailure.Error);
        }
        return results;
    }
}
