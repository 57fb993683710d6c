using System.Buffers.Binary;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Ganss.Xss;
using Portal.Data.Entities;

namespace Portal.Domain.Agencies;

/// <summary>An uploaded image that passed <see cref="BrandAssets.Validate"/>: the bytes to store and their MIME type.</summary>
/// <param name="Bytes">PNG bytes as uploaded, or the sanitized SVG as UTF-8.</param>
/// <param name="ContentType"><c>image/png</c> or <c>image/svg+xml</c>.</param>
public sealed record BrandImage(byte[] Bytes, string ContentType);

/// <summary>
/// Checks logo and favicon uploads. A PNG is recognised by its 8-byte signature and its IHDR chunk
/// (https://www.w3.org/TR/png-3/#5PNG-file-signature, #11IHDR), never by the file name; an SVG is parsed, stripped of
/// scripts, event handlers, foreign objects and external references by HtmlSanitizer with an SVG-only allow list, and
/// must still have an <c>svg</c> root. Anything else is refused with a message a person can act on.
/// </summary>
public static class BrandAssets
{
    /// <summary>Largest upload, bytes (256 KiB).</summary>
    public const int MaxBytes = Agency.LogoMaxBytes;

    /// <summary>Largest PNG width or height, pixels.</summary>
    public const int MaxPixels = 2048;

    /// <summary>MIME type of PNG.</summary>
    public const string Png = "image/png";

    /// <summary>MIME type of SVG.</summary>
    public const string Svg = "image/svg+xml";

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static readonly string[] SvgTags =
    [
        "svg", "g", "path", "circle", "ellipse", "line", "polyline", "polygon", "rect", "text", "tspan", "defs",
        "lineargradient", "radialgradient", "stop", "title", "desc", "clippath", "mask", "symbol",
    ];

    private static readonly string[] SvgAttributes =
    [
        "xmlns", "viewbox", "width", "height", "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "rx", "ry", "d", "points",
        "fill", "fill-opacity", "fill-rule", "clip-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
        "stroke-opacity", "opacity", "transform", "offset", "stop-color", "stop-opacity", "gradientunits", "gradienttransform",
        "font-family", "font-size", "font-weight", "text-anchor", "id", "clip-path", "mask", "preserveaspectratio", "version",
    ];

    /// <summary>Checks and cleans an upload.</summary>
    /// <param name="bytes">The file's bytes.</param>
    /// <returns>What to store.</returns>
    /// <exception cref="ArgumentException">Empty, over <see cref="MaxBytes"/>, a PNG with a bad header or over <see cref="MaxPixels"/>, an SVG that does not parse or has no drawing left after cleaning, or neither PNG nor SVG. Nothing is stored.</exception>
    public static BrandImage Validate(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            throw new ArgumentException("The file is empty.", nameof(bytes));
        }

        if (bytes.Length > MaxBytes)
        {
            throw new ArgumentException($"The file is {bytes.Length / 1024} KB; the limit is {MaxBytes / 1024} KB.", nameof(bytes));
        }

        if (bytes.StartsWith(PngSignature))
        {
            // IHDR must be the first chunk: length 13, type "IHDR", width, height (big-endian, non-zero).
            if (bytes.Length < 33 || BinaryPrimitives.ReadUInt32BigEndian(bytes[8..]) != 13 || !bytes[12..16].SequenceEqual("IHDR"u8))
            {
                throw new ArgumentException("The PNG file is damaged (no image header).", nameof(bytes));
            }

            var width = BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]);
            var height = BinaryPrimitives.ReadUInt32BigEndian(bytes[20..]);
            if (width == 0 || height == 0 || width > MaxPixels || height > MaxPixels)
            {
                throw new ArgumentException($"The PNG is {width}×{height} pixels; at most {MaxPixels}×{MaxPixels} is accepted.", nameof(bytes));
            }

            return new BrandImage(bytes.ToArray(), Png);
        }

        return new BrandImage(Encoding.UTF8.GetBytes(SanitizeSvg(Encoding.UTF8.GetString(bytes))), Svg);
    }

    /// <summary>The SVG document with only drawing elements and presentation attributes left.</summary>
    /// <exception cref="ArgumentException">Not an SVG document, or nothing left to draw.</exception>
    public static string SanitizeSvg(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = text.IndexOf("<svg", StringComparison.OrdinalIgnoreCase);
        if (start < 0)
        {
            throw new ArgumentException("Only PNG and SVG images are accepted.", nameof(text));
        }

        var sanitizer = new HtmlSanitizer(new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(SvgTags, StringComparer.OrdinalIgnoreCase),
            AllowedAttributes = new HashSet<string>(SvgAttributes, StringComparer.OrdinalIgnoreCase),
            AllowedCssProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
            AllowedSchemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(["href", "xlink:href", "src"], StringComparer.OrdinalIgnoreCase),
        });
        sanitizer.KeepChildNodes = false;
        var clean = sanitizer.Sanitize(text[start..]).Trim();
        XElement root;
        try
        {
            root = XElement.Parse(clean, LoadOptions.None);
        }
        catch (XmlException)
        {
            throw new ArgumentException("The SVG file could not be read.", nameof(text));
        }

        XNamespace svg = "http://www.w3.org/2000/svg";
        if (!string.Equals(root.Name.LocalName, "svg", StringComparison.OrdinalIgnoreCase) || !root.HasElements)
        {
            throw new ArgumentException("The SVG file has nothing to draw once scripts and links are removed.", nameof(text));
        }

        // A stand-alone SVG needs its namespace to render as an image.
        foreach (var element in root.DescendantsAndSelf())
        {
            element.Name = svg + element.Name.LocalName;
        }

        root.Attributes().Where(a => a.IsNamespaceDeclaration).Remove();
        return root.ToString(SaveOptions.DisableFormatting);
    }
}
