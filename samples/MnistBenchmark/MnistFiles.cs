using System.Buffers.Binary;
using System.IO.Compression;
using Microsoft.ML.Data;

namespace MnistBenchmark;

/// <summary>One MNIST image: 784 pixels scaled from 0..255 to [0, 1] (divided by 255), and its digit 0..9 as a key (LoadFromEnumerable stores the key d + 1, 0 being the missing key).</summary>
public sealed class MnistRow
{
    /// <summary>The 28x28 pixels, row by row, each in [0, 1].</summary>
    [VectorType(MnistFiles.Pixels)]
    public float[] Features { get; set; } = [];

    /// <summary>The digit 0..9; in the IDataView it is the key d + 1 of a key type of 10 values.</summary>
    [KeyType(10)]
    public uint Label { get; set; }
}

/// <summary>What the network adds to a row.</summary>
public sealed class MnistPrediction
{
    /// <summary>The 10 class probabilities.</summary>
    [VectorType(10)]
    public float[] Score { get; set; } = [];

    /// <summary>The predicted digit 0..9 (read back from the key d + 1).</summary>
    [KeyType(10)]
    public uint PredictedLabel { get; set; }
}

/// <summary>
/// Reads the four gzipped IDX files of MNIST: a big-endian header (magic 2051 for images, 2049 for labels,
/// the count, then 28 and 28 for images), then one byte a pixel or label.
/// </summary>
public static class MnistFiles
{
    /// <summary>Pixels an image.</summary>
    public const int Pixels = 28 * 28;

    /// <summary>Reads train-* or t10k-* (<paramref name="prefix"/>) from <paramref name="folder"/>, keeping at most <paramref name="limit"/> rows.</summary>
    public static List<MnistRow> Read(string folder, string prefix, int limit)
    {
        byte[] images = Decompress(Path.Combine(folder, prefix + "-images-idx3-ubyte.gz"));
        byte[] labels = Decompress(Path.Combine(folder, prefix + "-labels-idx1-ubyte.gz"));
        CheckHeader(images, 2051, out int count);
        CheckHeader(labels, 2049, out int labelCount);
        if (count != labelCount || BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(8)) != 28 || BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(12)) != 28)
        {
            throw new InvalidDataException($"{prefix}: {count} images of an unexpected size, or {labelCount} labels.");
        }

        int rows = Math.Min(count, limit);
        var result = new List<MnistRow>(rows);
        for (int r = 0; r < rows; r++)
        {
            var pixels = new float[Pixels];
            ReadOnlySpan<byte> source = images.AsSpan(16 + (r * Pixels), Pixels);
            for (int j = 0; j < Pixels; j++)
            {
                pixels[j] = source[j] / 255f;
            }

            result.Add(new MnistRow { Features = pixels, Label = labels[8 + r] });
        }

        return result;
    }

    private static void CheckHeader(byte[] file, int magic, out int count)
    {
        if (file.Length < 8 || BinaryPrimitives.ReadInt32BigEndian(file) != magic)
        {
            throw new InvalidDataException($"Not an IDX file with magic number {magic}.");
        }

        count = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(4));
    }

    private static byte[] Decompress(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }
}
