using System.Text;
using Portal.Domain.Agencies;

namespace Portal.Domain.Tests.Agencies;

public sealed class BrandAssetsTests
{
    private static byte[] Png(uint width, uint height)
    {
        var bytes = new byte[64];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R' }.CopyTo(bytes, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(16), width);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(20), height);
        return bytes;
    }

    [Fact]
    public void Png_WithSignatureAndHeader_IsKeptAsIs()
    {
        var png = Png(128, 64);

        var image = BrandAssets.Validate(png);

        Assert.Equal(BrandAssets.Png, image.ContentType);
        Assert.Equal(png, image.Bytes);
    }

    [Fact]
    public void Png_TooLargeInPixels_IsRefused() =>
        Assert.Contains("pixels", Assert.Throws<ArgumentException>(() => BrandAssets.Validate(Png(4096, 10))).Message, StringComparison.Ordinal);

    [Fact]
    public void File_OverTheSizeLimit_IsRefused() =>
        Assert.Throws<ArgumentException>(() => BrandAssets.Validate(new byte[BrandAssets.MaxBytes + 1]));

    [Fact]
    public void NeitherPngNorSvg_IsRefused() =>
        Assert.Contains("PNG and SVG", Assert.Throws<ArgumentException>(() => BrandAssets.Validate("GIF89a....."u8)).Message, StringComparison.Ordinal);

    [Fact]
    public void Svg_LosesScriptsHandlersAndLinks_KeepsTheDrawing()
    {
        const string svg = """
            <?xml version="1.0"?>
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)">
              <script>alert(2)</script>
              <a href="javascript:alert(3)"><rect width="10" height="10" fill="#f00"/></a>
              <circle cx="5" cy="5" r="4" fill="#00f" onclick="alert(4)"/>
              <foreignObject><iframe src="https://evil.example"></iframe></foreignObject>
              <image href="https://evil.example/x.png"/>
            </svg>
            """;

        var image = BrandAssets.Validate(Encoding.UTF8.GetBytes(svg));
        var text = Encoding.UTF8.GetString(image.Bytes);

        Assert.Equal(BrandAssets.Svg, image.ContentType);
        Assert.Contains("<circle", text, StringComparison.Ordinal);
        Assert.Contains("viewBox=\"0 0 10 10\"", text, StringComparison.Ordinal);
        Assert.Contains("xmlns=\"http://www.w3.org/2000/svg\"", text, StringComparison.Ordinal);
        foreach (var bad in new[] { "script", "alert", "onload", "onclick", "javascript", "iframe", "foreignObject", "evil.example" })
        {
            Assert.DoesNotContain(bad, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Svg_WithNothingLeftToDraw_IsRefused() =>
        Assert.Throws<ArgumentException>(() => BrandAssets.Validate("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8));
}
