using System.Text;
using SerMlNet.Torch.Serialization;

namespace SerMlNet.Torch.Tests;

/// <summary>The state dict file format, read and written without libtorch.</summary>
public sealed class StateDictFileTests
{
    private static StateDict Sample() => new(
    [
        new StateDictEntry("features.0.weight", [2, 1, 1, 2], [1f, -2f, 3.5f, float.Epsilon]),
        new StateDictEntry("scalar", [], [42f]),
        new StateDictEntry("empty", [0, 3], []),
    ]);

    [Fact]
    public void Round_trip_preserves_names_order_shapes_and_bits()
    {
        using var stream = new MemoryStream();
        Sample().Write(stream);
        stream.Position = 0;
        StateDict read = StateDict.Read(stream);
        Assert.Equal(["features.0.weight", "scalar", "empty"], read.Select(e => e.Name));
        Assert.Equal([2L, 1L, 1L, 2L], read["features.0.weight"].Shape.ToArray());
        Assert.Equal([1f, -2f, 3.5f, float.Epsilon], read["features.0.weight"].Values);
        Assert.Empty(read["scalar"].Shape.ToArray());
        Assert.Equal([42f], read["scalar"].Values);
        Assert.Empty(read["empty"].Values);
    }

    [Fact]
    public void Header_carries_format_name_and_version()
    {
        using var stream = new MemoryStream();
        Sample().Write(stream);
        byte[] bytes = stream.ToArray();
        Assert.Equal(StateDict.FormatName.Length, BitConverter.ToInt32(bytes, 0));
        Assert.Equal("SerMlNet.StateDict", Encoding.UTF8.GetString(bytes, 4, StateDict.FormatName.Length));
        Assert.Equal(1, BitConverter.ToInt32(bytes, 4 + StateDict.FormatName.Length));
        Assert.Equal(3, BitConverter.ToInt32(bytes, 8 + StateDict.FormatName.Length));
    }

    [Fact]
    public void Corrupt_truncated_foreign_and_future_files_are_rejected()
    {
        using var stream = new MemoryStream();
        Sample().Write(stream);
        byte[] good = stream.ToArray();

        byte[] flipped = (byte[])good.Clone();
        int value = good.AsSpan().IndexOf(BitConverter.GetBytes(3.5f));
        Assert.True(value > 0);
        flipped[value + 1] ^= 0x40;
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => StateDict.Read(new MemoryStream(flipped))).Message);

        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => StateDict.Read(new MemoryStream(good[..^7]))).Message);

        byte[] foreign = (byte[])good.Clone();
        foreign[5] = (byte)'X';
        Assert.Contains("not a SerMlNet.StateDict file", Assert.Throws<InvalidDataException>(() => StateDict.Read(new MemoryStream(foreign))).Message);

        byte[] future = (byte[])good.Clone();
        future[4 + StateDict.FormatName.Length] = 2;
        Assert.Contains("version 2 is not supported", Assert.Throws<InvalidDataException>(() => StateDict.Read(new MemoryStream(future))).Message);

        Assert.Contains("after the checksum", Assert.Throws<InvalidDataException>(() => StateDict.Read(new MemoryStream([.. good, 0]))).Message);
    }

    [Fact]
    public void Save_replaces_atomically_and_leaves_no_temporary_file()
    {
        string dir = Directory.CreateTempSubdirectory("sermlnet-sdict-").FullName;
        try
        {
            string path = Path.Combine(dir, "model.sdict");
            File.WriteAllText(path, "old content");
            Sample().Save(path);
            Assert.Equal(["model.sdict"], Directory.GetFiles(dir).Select(Path.GetFileName));
            Assert.Equal(3, StateDict.Load(path).Count);
            File.WriteAllBytes(path, [1, 2, 3]);
            InvalidDataException ex = Assert.Throws<InvalidDataException>(() => StateDict.Load(path));
            Assert.Contains(path, ex.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Entries_validate_shape_against_values_and_names_are_unique()
    {
        Assert.Throws<ArgumentException>(() => new StateDictEntry("w", [2, 2], [1f, 2f, 3f]));
        var dict = new StateDict { new StateDictEntry("w", [1], [1f]) };
        Assert.Throws<ArgumentException>(() => dict.Add(new StateDictEntry("w", [1], [2f])));
        Assert.Throws<KeyNotFoundException>(() => dict["missing"]);
    }
}
