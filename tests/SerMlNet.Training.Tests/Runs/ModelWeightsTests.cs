using SerMlNet.Tests;
using SerMlNet.Training.Engine;
using SerMlNet.Training.Model;
using SerMlNet.Training.Runs;
using static TorchSharp.torch;

namespace SerMlNet.Training.Tests.Runs;

public sealed class ModelWeightsTests
{
    private static readonly SerCnnOptions Small = new() { Channels = [4, 8], InputMels = 16, InputFrames = 20, TemporalChannels = 6, TemporalBlocks = 1 };

    [Fact]
    public void WeightsRoundTripIntoAFreshModelWithTheSameOutputs()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        string path = Path.Combine(temp.Path, "best.ckpt");
        TorchEngine.ManualSeed(1);
        using var trained = new SerCnn(Small);
        using (no_grad())
        {
            foreach ((string name, Tensor t) in trained.state_dict().Where(e => e.Key.EndsWith("running_mean", StringComparison.Ordinal)))
            {
                t.fill_(0.25f);   // a buffer, not only parameters, must travel
            }
        }
        ModelWeights.Save(trained, path);
        Assert.Equal([Path.GetFileName(path)], Directory.GetFiles(temp.Path).Select(Path.GetFileName));   // no temporary left
        Assert.StartsWith(ModelWeights.FormatName, System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(path).AsSpan(1, ModelWeights.FormatName.Length)), StringComparison.Ordinal);

        TorchEngine.ManualSeed(2);
        using var loaded = new SerCnn(Small);
        ModelWeights.Load(loaded, path);
        trained.eval();
        loaded.eval();
        using var scope = NewDisposeScope();
        Tensor x = randn(3, 1, 16, 20);
        Assert.Equal(trained.forward(x).data<float>().ToArray(), loaded.forward(x).data<float>().ToArray());
    }

    [Fact]
    public void ACorruptTruncatedForeignOrMismatchedFileIsRejectedWithItsReason()
    {
        using TempFolder temp = RepoPaths.NewTempFolder();
        string path = Path.Combine(temp.Path, "best.ckpt");
        using var model = new SerCnn(Small);
        ModelWeights.Save(model, path);
        byte[] good = File.ReadAllBytes(path);

        byte[] flipped = (byte[])good.Clone();
        flipped[good.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, flipped);
        Assert.Contains("corrupt", Assert.Throws<InvalidFileException>(() => ModelWeights.Load(model, path)).Message, StringComparison.Ordinal);

        File.WriteAllBytes(path, good.AsSpan(0, good.Length / 3).ToArray());
        Assert.Throws<InvalidFileException>(() => ModelWeights.Load(model, path));

        File.WriteAllText(path, "epoch,train_loss\n1,2.0\n");
        Assert.Contains("not a sermlnet.weights file", Assert.Throws<InvalidFileException>(() => ModelWeights.Load(model, path)).Message, StringComparison.Ordinal);

        byte[] future = (byte[])good.Clone();
        future[ModelWeights.FormatName.Length + 1] = 9;   // the version field follows the format name
        File.WriteAllBytes(path, future);
        Assert.Contains("version 9", Assert.Throws<InvalidFileException>(() => ModelWeights.Load(model, path)).Message, StringComparison.Ordinal);

        File.WriteAllBytes(path, good);
        using var other = new SerCnn(Small with { Channels = [4, 16] });
        Assert.Contains("does not fit", Assert.Throws<InvalidFileException>(() => ModelWeights.Load(other, path)).Message, StringComparison.Ordinal);
    }
}
