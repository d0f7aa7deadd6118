using System.Buffers.Binary;
using System.IO.Compression;

namespace KoopidDashboard.Tests.Features.Dashboard.RedactedMessagesWithPlot;

/// <summary>A tiny PNG reader for Chromium's screenshots: 8-bit RGB or RGBA, non-interlaced; IDAT inflated with ZLibStream and unfiltered.</summary>
public sealed record Png(int Width, int Height, int Channels, byte[] Pixels)
{
    public static Png Read(byte[] file)
    {
        Assert.True(file.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10 }), "not a PNG");
        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        for (var at = 8; at < file.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(file, at + 4, 4);
            var data = file.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]);                       // bit depth
                channels = data[9] switch { 2 => 3, 6 => 4, var t => throw new NotSupportedException($"PNG colour type {t}") };
                Assert.Equal(0, data[12]);                      // not interlaced
            }
            else if (type == "IDAT")
                idat.Write(data);
            else if (type == "IEND")
                break;
            at += 12 + length;
        }

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
            zlib.CopyTo(inflated);
        var raw = inflated.ToArray();
        var stride = width * channels;
        var pixels = new byte[height * stride];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var line = raw.AsSpan(y * (stride + 1) + 1, stride);
            var row = pixels.AsSpan(y * stride, stride);
            var previous = y == 0 ? new byte[stride] : pixels.AsSpan((y - 1) * stride, stride);
            for (var x = 0; x < stride; x++)
            {
                int a = x >= channels ? row[x - channels] : 0, b = previous[x], c = x >= channels ? previous[x - channels] : 0;
                row[x] = (byte)(line[x] + filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new NotSupportedException($"PNG filter {filter}"),
                });
            }
        }
        return new Png(width, height, channels, pixels);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>Share of pixels that are not (near) white, and the number of distinct RGB colours.</summary>
    public (double NonWhiteShare, int DistinctColours) Figures()
    {
        var nonWhite = 0;
        var colours = new HashSet<int>();
        for (var i = 0; i < Width * Height; i++)
        {
            int r = Pixels[i * Channels], g = Pixels[i * Channels + 1], b = Pixels[i * Channels + 2];
            if (r < 245 || g < 245 || b < 245)
                nonWhite++;
            colours.Add(r << 16 | g << 8 | b);
        }
        return ((double)nonWhite / (Width * Height), colours.Count);
    }
}
