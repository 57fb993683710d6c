using System.Buffers.Binary;
using Portal.Voice.Audio;

namespace Portal.Voice.Tests.Audio;

public sealed class WavPcmTests
{
    internal static byte[] Wav(short[] samples, int rate, bool listChunkFirst = false, uint? dataSizeOverride = null)
    {
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms);
        w.Write("RIFF"u8);
        w.Write(0x7FFFF000u);
        w.Write("WAVE"u8);
        if (listChunkFirst)
        {
            w.Write("LIST"u8);
            w.Write(3u); // odd size: a pad byte follows
            w.Write((byte)1);
            w.Write((byte)2);
            w.Write((byte)3);
            w.Write((byte)0);
        }

        w.Write("fmt "u8);
        w.Write(16u);
        w.Write((ushort)1);
        w.Write((ushort)1);
        w.Write(rate);
        w.Write(rate * 2);
        w.Write((ushort)2);
        w.Write((ushort)16);
        w.Write("data"u8);
        w.Write(dataSizeOverride ?? (uint)(samples.Length * 2));
        foreach (var s in samples)
        {
            w.Write(s);
        }

        w.Flush();
        return ms.ToArray();
    }

    [Fact]
    public void TryRead_SkipsOtherChunks_AndReadsTheSamples()
    {
        short[] samples = [0, 1000, -1000, short.MaxValue, short.MinValue];
        Assert.True(WavPcm.TryRead(Wav(samples, 22050, listChunkFirst: true), out var read, out int rate, out _));
        Assert.Equal(22050, rate);
        Assert.Equal(samples, read);
    }

    [Fact]
    public void TryRead_StreamingPlaceholderSize_IsClampedToTheBytesPresent()
    {
        short[] samples = [1, 2, 3];
        Assert.True(WavPcm.TryRead(Wav(samples, 22050, dataSizeOverride: 0x7FFFF000u), out var read, out _, out _));
        Assert.Equal(samples, read);
    }

    [Fact]
    public void TryRead_RejectsStereoAndNonWav()
    {
        var stereo = Wav([1, 2], 8000);
        BinaryPrimitives.WriteUInt16LittleEndian(stereo.AsSpan(22, 2), 2);
        Assert.False(WavPcm.TryRead(stereo, out _, out _, out var error));
        Assert.Contains("unsupported", error, StringComparison.Ordinal);
        Assert.False(WavPcm.TryRead("not a wav file at all"u8, out _, out _, out _));
        Assert.False(WavPcm.TryRead([], out _, out _, out _));
    }
}
