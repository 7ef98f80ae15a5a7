using System.Text;
using SerMlNet.Audio.Io;
using SerMlNet.Tests;

namespace SerMlNet.Audio.Tests.Io;

public sealed class NpyFileTests
{
    [Fact]
    public void Writes_numpy_v1_header_and_float32_data()
    {
        using TempFolder folder = RepoPaths.NewTempFolder();
        string path = Path.Combine(folder.Path, "deep", "m.npy");
        var m = new FeatureMatrix(2, 3, [1f, 2f, 3f, 4f, 5f, -6.5f]);
        NpyFile.Write(path, m);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59 }, bytes[..6]);
        Assert.Equal(1, bytes[6]);
        int headerLength = bytes[8] | (bytes[9] << 8);
        Assert.Equal(0, (10 + headerLength) % 64);
        string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", header, StringComparison.Ordinal);
        Assert.EndsWith("\n", header, StringComparison.Ordinal);
        Assert.Equal(10 + headerLength + 24, bytes.Length);
        (int[] shape, float[] data) = NpyFile.Read(path);
        Assert.Equal([2, 3], shape);
        Assert.Equal(m.Data, data);
        Assert.Single(Directory.GetFiles(Path.Combine(folder.Path, "deep")));
    }

    [Fact]
    public void One_dimensional_shape_has_a_trailing_comma()
    {
        var stream = new MemoryStream();
        NpyFile.Write(stream, [1f, 2f], [2]);
        Assert.Contains("'shape': (2,), }", Encoding.ASCII.GetString(stream.ToArray()), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => NpyFile.Write(new MemoryStream(), [1f, 2f], [3]));
    }
}
