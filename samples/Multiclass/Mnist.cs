using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;

namespace Multiclass;

/// <summary>
/// Reads MNIST's IDX files (http://yann.lecun.com/exdb/mnist/): a big-endian header, magic 2051 then count, rows, columns
/// for images, magic 2049 then count for labels, then one byte per pixel or label. Gzipped (.gz) or not.
/// </summary>
internal static class Mnist
{
    public const int ImageMagic = 2051;
    public const int LabelMagic = 2049;

    /// <summary>The images and labels of one part ("train" or "t10k") of the data in <paramref name="folder"/>.</summary>
    public static List<DigitImage> Load(string folder, string part)
    {
        using BinaryStream images = Open(folder, $"{part}-images-idx3-ubyte");
        using BinaryStream labels = Open(folder, $"{part}-labels-idx1-ubyte");
        int count = images.ReadHeader(ImageMagic);
        int rows = images.ReadInt32(), columns = images.ReadInt32();
        int labelCount = labels.ReadHeader(LabelMagic);
        if (labelCount != count)
        {
            throw new InvalidDataException($"{part}: {count} images but {labelCount} labels.");
        }

        var pixels = new byte[rows * columns];
        var result = new List<DigitImage>(count);
        for (int i = 0; i < count; i++)
        {
            images.ReadExactly(pixels);
            var features = new float[DigitImage.PixelCount];
            for (int p = 0; p < Math.Min(pixels.Length, features.Length); p++)
            {
                features[p] = pixels[p];
            }

            result.Add(new DigitImage { Features = features, Digit = labels.ReadByte().ToString(CultureInfo.InvariantCulture) });
        }

        return result;
    }

    private static BinaryStream Open(string folder, string name)
    {
        string plain = Path.Combine(folder, name), gzipped = plain + ".gz";
        if (File.Exists(gzipped))
        {
            return new BinaryStream(new GZipStream(File.OpenRead(gzipped), CompressionMode.Decompress), gzipped);
        }

        if (File.Exists(plain))
        {
            return new BinaryStream(File.OpenRead(plain), plain);
        }

        throw new FileNotFoundException($"Neither {gzipped} nor {plain} exists.", gzipped);
    }

    /// <summary>A buffered stream that reads the IDX header's big-endian integers.</summary>
    private sealed class BinaryStream(Stream stream, string path) : IDisposable
    {
        private readonly BufferedStream _stream = new(stream, 1 << 16);

        public int ReadHeader(int expectedMagic)
        {
            int magic = ReadInt32();
            if (magic != expectedMagic)
            {
                throw new InvalidDataException($"{path}: magic number {magic}, expected {expectedMagic}; is it an MNIST IDX file?");
            }

            return ReadInt32();
        }

        public int ReadInt32()
        {
            Span<byte> bytes = stackalloc byte[4];
            _stream.ReadExactly(bytes);
            return BinaryPrimitives.ReadInt32BigEndian(bytes);
        }

        public void ReadExactly(Span<byte> buffer) => _stream.ReadExactly(buffer);

        public byte ReadByte()
        {
            int value = _stream.ReadByte();
            return value >= 0 ? (byte)value : throw new EndOfStreamException($"{path} ends early.");
        }

        public void Dispose() => _stream.Dispose();
    }
}
