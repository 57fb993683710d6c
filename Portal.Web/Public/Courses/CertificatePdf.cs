using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;
using QRCoder;
using Portal.Data.Entities;

namespace Portal.Web.Public.Courses;

/// <summary>
/// Renders a certificate of completion as a one-page A4 landscape PDF with PDFsharp (https://docs.pdfsharp.net/): the
/// recipient's name, the course, the completion date, the cohort, the instructor, the skills, the credential id and a QR
/// code (QRCoder, drawn as vector squares) that opens the public verification URL. Text uses the embedded DejaVu Sans,
/// so the PDF looks the same on a server without fonts and its text can be extracted.
/// </summary>
public sealed class CertificatePdf
{
    private static readonly Lock FontGate = new();

    /// <summary>Creates the renderer and installs the embedded font resolver once per process.</summary>
    public CertificatePdf()
    {
        lock (FontGate)
        {
            GlobalFontSettings.FontResolver ??= new EmbeddedFontResolver();
        }
    }

    /// <summary>The verification URL of <paramref name="credentialId"/> under <paramref name="baseUri"/>.</summary>
    public static string VerificationUrl(Uri baseUri, string credentialId)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        return new Uri(baseUri, "/certificates/" + Uri.EscapeDataString(credentialId)).ToString();
    }

    /// <summary>Renders the certificate.</summary>
    /// <param name="certificate">The certificate.</param>
    /// <param name="verificationUrl">Absolute URL of its verification page (encoded in the QR code and printed).</param>
    /// <returns>The PDF bytes.</returns>
    public byte[] Render(Certificate certificate, string verificationUrl)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var document = new PdfDocument();
        document.Info.Title = $"{certificate.CourseTitle}: certificate of completion for {certificate.RecipientName}";
        document.Info.Author = "Portal";
        var page = document.AddPage();
        page.Size = PdfSharp.PageSize.A4;
        page.Orientation = PdfSharp.PageOrientation.Landscape;
        using (var gfx = XGraphics.FromPdfPage(page))
        {
            var width = page.Width.Point;
            var height = page.Height.Point;
            var accent = XColor.FromArgb(0x25, 0x63, 0xEB);
            gfx.DrawRectangle(new XPen(accent, 6), 24, 24, width - 48, height - 48);
            var title = new XFont(EmbeddedFontResolver.Family, 14, XFontStyleEx.Bold);
            var huge = new XFont(EmbeddedFontResolver.Family, 34, XFontStyleEx.Bold);
            var large = new XFont(EmbeddedFontResolver.Family, 20, XFontStyleEx.Bold);
            var body = new XFont(EmbeddedFontResolver.Family, 12, XFontStyleEx.Regular);
            var small = new XFont(EmbeddedFontResolver.Family, 9, XFontStyleEx.Regular);
            var center = XStringFormats.TopCenter;
            gfx.DrawString("CERTIFICATE OF COMPLETION", title, new XSolidBrush(accent), new XRect(0, 70, width, 20), center);
            gfx.DrawString("This certifies that", body, XBrushes.DimGray, new XRect(0, 120, width, 20), center);
            gfx.DrawString(certificate.RecipientName, huge, XBrushes.Black, new XRect(0, 145, width, 44), center);
            gfx.DrawString("has completed", body, XBrushes.DimGray, new XRect(0, 200, width, 20), center);
            gfx.DrawString(certificate.CourseTitle, large, XBrushes.Black, new XRect(0, 225, width, 30), center);
            var date = certificate.IssuedAt.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
            gfx.DrawString($"{certificate.CohortLabel} · completed {date} · instructor {certificate.InstructorName}", body, XBrushes.Black, new XRect(0, 265, width, 20), center);
            gfx.DrawString("Skills: " + string.Join(" · ", certificate.Skills), body, XBrushes.Black, new XRect(60, 300, width - 120, 20), center);
            gfx.DrawString("Credential ID: " + certificate.CredentialId, large, XBrushes.Black, new XRect(60, height - 150, 400, 30), XStringFormats.TopLeft);
            gfx.DrawString("Verify at " + verificationUrl, small, XBrushes.DimGray, new XRect(60, height - 115, 520, 16), XStringFormats.TopLeft);
            DrawQr(gfx, verificationUrl, width - 60 - 120, height - 60 - 120 - 10, 120);
        }

        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }

    /// <summary>Draws the QR code of <paramref name="text"/> as black squares in a <paramref name="size"/>-point square (quiet zone included).</summary>
    private static void DrawQr(XGraphics gfx, string text, double x, double y, double size)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var modules = data.ModuleMatrix;
        var cell = size / modules.Count;
        gfx.DrawRectangle(XBrushes.White, x, y, size, size);
        for (var row = 0; row < modules.Count; row++)
        {
            for (var column = 0; column < modules[row].Count; column++)
            {
                if (modules[row][column])
                {
                    gfx.DrawRectangle(XBrushes.Black, x + (column * cell), y + (row * cell), cell, cell);
                }
            }
        }
    }

    /// <summary>Serves DejaVu Sans (regular and bold) from the assembly's embedded resources to PDFsharp.</summary>
    private sealed class EmbeddedFontResolver : IFontResolver
    {
        public const string Family = "DejaVu Sans";

        public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
            new(bold ? "DejaVuSans-Bold" : "DejaVuSans");

        public byte[]? GetFont(string faceName)
        {
            using var stream = typeof(CertificatePdf).Assembly.GetManifestResourceStream($"Portal.Web.Fonts.{faceName}.ttf")
                ?? throw new InvalidOperationException($"Embedded font {faceName} is missing.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
    }
}
