using SerMlNet.Training.Model;
using static TorchSharp.torch;

namespace SerMlNet.Training.Runs;

/// <summary>
/// A <see cref="SerCnn"/>'s parameters and buffers in a file (format <c>sermlnet.weights</c> v2: TorchSharp's state-dict
/// format inside <see cref="TorchFile"/>'s checked container), e.g. a run's <c>best.ckpt</c>. Thread-safe.
/// </summary>
public static class ModelWeights
{
    /// <summary>Format name of weights files.</summary>
    public const string FormatName = "sermlnet.weights";

    /// <summary>Format version this build writes and reads (v1 was the libtorch-1.13 shim's own layout).</summary>
    public const int FormatVersion = 2;

    internal const string ModelSection = "model";

    /// <summary>Writes the model's state dict atomically.</summary>
    /// <param name="model">The model (any device).</param>
    /// <param name="path">Destination file.</param>
    public static void Save(SerCnn model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        TorchFile.Write(path, FormatName, FormatVersion, [(ModelSection, Serialize(model))]);
    }

    /// <summary>Loads weights written by <see cref="Save"/> into a model of the same architecture.</summary>
    /// <param name="model">The model to fill.</param>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidFileException">The file is not such a file, is corrupt, or does not fit the architecture.</exception>
    public static void Load(SerCnn model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        Deserialize(model, TorchFile.Require(TorchFile.Read(path, FormatName, FormatVersion), ModelSection, path), path);
    }

    /// <summary>TorchSharp's state-dict bytes of a module.</summary>
    internal static byte[] Serialize(nn.Module module) => TorchFile.Payload(writer => module.save(writer));

    /// <summary>Fills a module from <see cref="Serialize"/>'s bytes, strictly (every tensor, same shapes).</summary>
    internal static void Deserialize(nn.Module module, byte[] payload, string path) =>
        TorchFile.ReadPayload(payload, reader => module.load(reader, strict: true), $"'{Path.GetFileName(path)}' does not fit this model's architecture");
}
