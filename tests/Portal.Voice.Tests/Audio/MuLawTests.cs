using System.Security.Cryptography;
using Portal.Voice.Audio;

namespace Portal.Voice.Tests.Audio;

public sealed class MuLawTests
{
    // docs/protocols/g711-mulaw.md: PCM16 → μ-law → decoded PCM16 (classic encoder; verified against audioop and sox -D).
    [Theory]
    [InlineData(0, 0xFF, 0)]
    [InlineData(1, 0xFF, 0)]
    [InlineData(4, 0xFE, 8)]
    [InlineData(-4, 0x7E, -8)]
    [InlineData(16, 0xFD, 16)]
    [InlineData(-16, 0x7D, -16)]
    [InlineData(100, 0xF2, 104)]
    [InlineData(-100, 0x72, -104)]
    [InlineData(128, 0xEF, 132)]
    [InlineData(-128, 0x6F, -132)]
    [InlineData(500, 0xDC, 492)]
    [InlineData(1000, 0xCE, 988)]
    [InlineData(-1000, 0x4E, -988)]
    [InlineData(10000, 0x9C, 9852)]
    [InlineData(2000, 0xBF, 1980)]
    [InlineData(-2000, 0x3F, -1980)]
    [InlineData(4000, 0xAF, 4092)]
    [InlineData(-4000, 0x2F, -4092)]
    [InlineData(8000, 0xA0, 7932)]
    [InlineData(-8000, 0x20, -7932)]
    [InlineData(16384, 0x8F, 16764)]
    [InlineData(-16384, 0x0F, -16764)]
    [InlineData(20000, 0x8C, 19836)]
    [InlineData(30000, 0x82, 30076)]
    [InlineData(32124, 0x80, 32124)]
    [InlineData(32767, 0x80, 32124)]
    [InlineData(-32767, 0x00, -32124)]
    [InlineData(-32768, 0x00, -32124)]
    public void EncodeAndDecode_MatchProtocolVectors(short pcm, byte ulaw, short decoded)
    {
        Assert.Equal(ulaw, MuLaw.EncodeSample(pcm));
        Assert.Equal(decoded, MuLaw.DecodeSample(ulaw));
        Assert.Equal(decoded, MuLaw.DecodeTable[ulaw]);

        Span<byte> encoded = stackalloc byte[1];
        MuLaw.Encode([pcm], encoded);
        Assert.Equal(ulaw, encoded[0]);
        Span<short> back = stackalloc short[1];
        MuLaw.Decode([ulaw], back);
        Assert.Equal(decoded, back[0]);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(-2)]
    [InlineData(-3)]
    public void Encode_SmallNegatives_UseClassicEncoderNotAudioop(short pcm)
    {
        Assert.Equal(0x7F, MuLaw.EncodeSample(pcm)); // audioop gives 0x7E for −1, sox −D gives 0xFF (docs/protocols/g711-mulaw.md).
    }

    [Fact]
    public void Encode_BriefSamples_GiveProtocolBase64()
    {
        short[] pcm = [0, 1000, -1000, 32767, -32768];
        var ulaw = new byte[pcm.Length];
        MuLaw.Encode(pcm, ulaw);
        Assert.Equal(new byte[] { 0xFF, 0xCE, 0x4E, 0x80, 0x00 }, ulaw);
        Assert.Equal("/85OgAA=", Convert.ToBase64String(ulaw));
    }

    [Fact]
    public void DecodeTable_HasProtocolSha256()
    {
        var bytes = new byte[512];
        for (int code = 0; code < 256; code++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(code * 2), MuLaw.DecodeTable[code]);
        }

        Assert.Equal(256, MuLaw.DecodeTable.Length);
        Assert.Equal("3dab54339e520bb2c924826e3b72a917a2b612e9fd12fc867500f1d983a75827", Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    [Fact]
    public void EncodeTable_OverAll65536Inputs_HasProtocolSha256()
    {
        var pcm = new short[65536];
        for (int i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)(i - 32768);
        }

        var ulaw = new byte[65536];
        MuLaw.Encode(pcm, ulaw);
        Assert.Equal("5ee7cf5f273f842d2234121e4cb0c98d6b20a99ac29026f94e05b36955b195be", Convert.ToHexStringLower(SHA256.HashData(ulaw)));
    }

    [Fact]
    public void RoundTrip_AllInputs_ErrorBoundedByHalfSegmentStep()
    {
        var pcm = new short[65536];
        for (int i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)(i - 32768);
        }

        var ulaw = new byte[pcm.Length];
        var back = new short[pcm.Length];
        MuLaw.Encode(pcm, ulaw);
        MuLaw.Decode(ulaw, back);

        for (int i = 0; i < pcm.Length; i++)
        {
            int magnitude = Math.Min(Math.Abs((int)pcm[i]), MuLaw.Clip);
            int expected = pcm[i] < 0 ? -magnitude : magnitude;
            int segment = ((MuLaw.EncodeSample(pcm[i]) ^ 0xFF) >> 4) & 7; // exponent of the code
            int bound = 4 << segment; // the decoder returns the midpoint of a 8·2^segment wide interval
            Assert.True(Math.Abs(back[i] - expected) <= bound, $"pcm {pcm[i]} → {back[i]}, segment {segment}, bound {bound}");
            Assert.True((long)back[i] * expected >= 0, $"pcm {pcm[i]} decoded with the wrong sign");
        }

        // Decode then encode is the identity on every code except 0x7F (negative zero → 0xFF).
        for (int code = 0; code < 256; code++)
        {
            byte reEncoded = MuLaw.EncodeSample(MuLaw.DecodeSample((byte)code));
            Assert.Equal(code == 0x7F ? 0xFF : code, reEncoded);
        }
    }

    [Fact]
    public void Silence_DecodesToZero()
    {
        Assert.Equal(0, MuLaw.DecodeSample(MuLaw.Silence));
        Assert.Equal(0, MuLaw.DecodeSample(0x7F));
        Assert.Equal(MuLaw.MaxDecoded, MuLaw.DecodeTable.ToArray().Max());
        Assert.Equal(-MuLaw.MaxDecoded, MuLaw.DecodeTable.ToArray().Min());
    }

    [Fact]
    public void BulkApis_WhenDestinationTooShort_Throw()
    {
        Assert.Throws<ArgumentException>(() => MuLaw.Encode(new short[4], new byte[3]));
        Assert.Throws<ArgumentException>(() => MuLaw.Decode(new byte[4], new short[3]));
    }

    [Fact]
    public void BulkApis_WriteOnlyTheInputLength()
    {
        var ulaw = new byte[] { 1, 2, 3, 4 };
        MuLaw.Encode(new short[] { 0, 0 }, ulaw);
        Assert.Equal(new byte[] { 0xFF, 0xFF, 3, 4 }, ulaw);
    }
}
