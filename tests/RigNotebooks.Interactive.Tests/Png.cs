using System.Buffers.Binary;
using System.IO.Compression;

namespace RigNotebooks.Interactive.Tests;

/// <summary>Just enough PNG decoding (8-bit RGB/RGBA, not interlaced — what Chromium writes) to tell a drawn page from a
/// blank one.</summary>
internal static class Png
{
    public static (int Width, int Height, int DistinctColors, double NonWhiteFraction) Inspect(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (!bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }))
        {
            throw new InvalidDataException($"{path} is not a PNG");
        }

        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        for (var at = 8; at < bytes.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(bytes, at + 4, 4);
            var chunk = bytes.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(chunk);
                height = BinaryPrimitives.ReadInt32BigEndian(chunk[4..]);
                var (depth, colorType, interlace) = (chunk[8], chunk[9], chunk[12]);
                channels = colorType switch { 2 => 3, 6 => 4, _ => throw new InvalidDataException($"PNG colour type {colorType} not handled") };
                if (depth != 8 || interlace != 0)
                {
                    throw new InvalidDataException("only 8-bit, non-interlaced PNGs are handled");
                }
            }
            else if (type == "IDAT")
            {
                idat.Write(chunk);
            }

            at += 12 + length;
        }

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress))
        {
            z.CopyTo(inflated);
        }

        var raw = inflated.ToArray();
        var stride = width * channels;
        var previous = new byte[stride];
        var current = new byte[stride];
        var colors = new HashSet<int>();
        long nonWhite = 0;
        for (var y = 0; y < height; y++)
        {
            var row = raw.AsSpan(y * (stride + 1), stride + 1);
            var filter = row[0];
            for (var x = 0; x < stride; x++)
            {
                var a = x >= channels ? current[x - channels] : 0;
                var b = previous[x];
                var c = x >= channels ? previous[x - channels] : 0;
                var value = row[x + 1];
                current[x] = (byte)(filter switch
                {
                    0 => value,
                    1 => value + a,
                    2 => value + b,
                    3 => value + ((a + b) >> 1),
                    4 => value + Paeth(a, b, c),
                    _ => throw new InvalidDataException($"PNG filter {filter}"),
                });
            }

            for (var x = 0; x < width; x++)
            {
                var p = x * channels;
                var rgb = (current[p] << 16) | (current[p + 1] << 8) | current[p + 2];
                colors.Add(rgb);
                if (rgb != 0xFFFFFF)
                {
                    nonWhite++;
                }
            }

            (previous, current) = (current, previous);
        }

        return (width, height, colors.Count, (double)nonWhite / ((long)width * height));
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var (pa, pb, pc) = (Math.Abs(p - a), Math.Abs(p - b), Math.Abs(p - c));
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
