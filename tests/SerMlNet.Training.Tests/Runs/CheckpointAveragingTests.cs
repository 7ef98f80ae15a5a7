using SerMlNet.Audio;
using SerMlNet.Tests;
using SerMlNet.Training.Model;
using SerMlNet.Training.Runs;
using static TorchSharp.torch;

namespace SerMlNet.Training.Tests.Runs;

/// <summary>The mean checkpoint averaging computes (which epochs it takes: <c>KeptEpochsTests</c>).</summary>
public class CheckpointAveragingTests
{
    private static readonly SerCnnOptions Tiny = new() { InputMels = 16, InputFrames = 20, Channels = [2], TemporalChannels = 4, TemporalBlocks = 1 };

    [Fact]
    public void TheAverageIsTheElementwiseMeanAndIntegerBuffersComeFromTheLastState()
    {
        using TempFolder folder = RepoPaths.NewTempFolder();
        string[] paths = [Path.Combine(folder.Path, "a.ckpt"), Path.Combine(folder.Path, "b.ckpt"), Path.Combine(folder.Path, "c.ckpt")];
        var models = new List<SerCnn>();
        try
        {
            for (int i = 0; i < paths.Length; i++)
            {
                manual_seed(100 + i);
                var model = new SerCnn(Tiny);
                using (no_grad())
                {
                    foreach ((string name, Tensor buffer) in model.named_buffers())
                    {
                        if (!buffer.is_floating_point())
                        {
                            buffer.fill_(10 * (i + 1));
                        }
                        else if (name.EndsWith("running_var", StringComparison.Ordinal))
                        {
                            buffer.fill_(i + 1);
                        }
                    }
                }
                ModelWeights.Save(model, paths[i]);
                models.Add(model);
            }
            using var averaged = new SerCnn(Tiny);
            CheckpointAveraging.Average(averaged, paths);
            foreach ((string name, Tensor value) in averaged.state_dict())
            {
                if (value.is_floating_point())
                {
                    float[][] parts = [.. models.Select(m => m.state_dict()[name].data<float>().ToArray())];
                    float[] mean = value.data<float>().ToArray();
                    for (int j = 0; j < mean.Length; j++)
                    {
                        Assert.Equal((float)(((double)parts[0][j] + parts[1][j] + parts[2][j]) / 3), mean[j], 1e-6f);
                    }
                    if (name.EndsWith("running_var", StringComparison.Ordinal))
                    {
                        Assert.All(mean, v => Assert.Equal(2f, v));
                    }
                }
                else
                {
                    Assert.All(value.data<long>().ToArray(), v => Assert.Equal(30L, v));
                }
            }

            // One state is that state.
            using var one = new SerCnn(Tiny);
            CheckpointAveraging.Average(one, [paths[1]]);
            foreach ((string name, Tensor value) in one.state_dict())
            {
                Assert.True(value.eq(models[1].state_dict()[name]).all().item<bool>(), name);
            }
        }
        finally
        {
            models.ForEach(m => m.Dispose());
        }
    }

    [Fact]
    public void AMissingFileOrAnotherArchitectureIsATypedError()
    {
        using TempFolder folder = RepoPaths.NewTempFolder();
        string path = Path.Combine(folder.Path, "a.ckpt");
        using (var model = new SerCnn(Tiny))
        {
            ModelWeights.Save(model, path);
        }
        using var other = new SerCnn(Tiny with { Channels = [3] });
        var missing = Assert.Throws<InvalidFileException>(() => CheckpointAveraging.Average(other, [path, Path.Combine(folder.Path, "epoch-009.ckpt")]));
        Assert.Contains("epoch-009.ckpt' is missing", missing.Message, StringComparison.Ordinal);
        var mismatch = Assert.Throws<InvalidFileException>(() => CheckpointAveraging.Average(other, [path]));
        Assert.Contains("does not fit this model's architecture", mismatch.Message, StringComparison.Ordinal);
    }
}
