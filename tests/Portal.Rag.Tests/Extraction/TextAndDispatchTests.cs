using Portal.Rag.Extraction;

namespace Portal.Rag.Tests.Extraction;

public sealed class TextAndDispatchTests : ExtractionTestBase
{
    [Fact]
    public async Task Markdown_HeadingsAndBothFaqShapes()
    {
        var doc = await ExtractFile("auto-guide.md");

        Assert.Equal("Miller Auto Repair guide", doc.Title);
        var oil = Assert.Single(doc.Sections, s => s.Text.Contains("synthetic oil", StringComparison.Ordinal));
        Assert.Equal(["Miller Auto Repair guide", "Services", "Oil change"], oil.HeadingPath);
        var loaner = Assert.Single(doc.Sections, s => s.Question == "Do you offer loaner cars?");
        Assert.Equal("Yes, we have three loaner cars. Please reserve one when you book.", loaner.Text);
        Assert.Equal(["Miller Auto Repair guide", "Frequently asked questions"], loaner.HeadingPath);
        var ev = Assert.Single(doc.Sections, s => s.Question == "Do you work on electric vehicles?");
        Assert.Equal("Yes, two of our technicians are certified for hybrid and electric vehicles.", ev.Text);
        Assert.Equal(4, doc.Sections.Count(s => s.Question is not null));
    }

    [Fact]
    public async Task Text_QuestionHeadingAndSetextHeading()
    {
        var doc = await ExtractText("Opening hours\n=============\n\nWe open at 9.\n\n## Are you open on Sundays?\n\nNo, we are closed on Sundays.\n", "hours.txt");

        Assert.Equal("Opening hours", doc.Title);
        Assert.Equal("We open at 9.", doc.Sections[0].Text);
        Assert.Equal(["Opening hours"], doc.Sections[0].HeadingPath);
        Assert.Equal("Are you open on Sundays?", doc.Sections[1].Question);
        Assert.Equal("No, we are closed on Sundays.", doc.Sections[1].Text);
        Assert.Equal(["Opening hours"], doc.Sections[1].HeadingPath);
    }

    [Theory]
    [InlineData(new byte[] { 0x43, 0x61, 0x66, 0xE9, 0x20, 0xFF }, "Café ÿ")] // Latin-1 letters
    [InlineData(new byte[] { 0x93, 0x4F, 0x6B, 0x94, 0x20, 0x96, 0x20, 0x80, 0x35 }, "“Ok” – €5")] // Windows-1252 quotes, dash and euro
    [InlineData(new byte[] { 0x43, 0x61, 0x66, 0xC3, 0xA9 }, "Café")] // valid UTF-8 stays UTF-8
    public void Decode_NonUtf8Text_IsReadAsWindows1252(byte[] bytes, string expected) =>
        Assert.Equal(expected, TextDecoding.Decode(bytes, "notes.txt"));

    [Fact]
    public async Task Text_WhitespaceOnly_SaysEmpty()
    {
        var error = await Assert.ThrowsAsync<DocumentExtractionException>(() => ExtractText("  \n\n\t ", "notes.txt"));
        Assert.Equal("'notes.txt' is empty.", error.Message);
    }

    [Fact]
    public async Task Html_MainTextOnly_NavFooterScriptDropped()
    {
        const string html = """
            <html><head><title>Joe's Plumbing – Services</title><script>var x = "tracking";</script></head>
            <body><nav><a href="/">Home</a> <a href="/about">About</a></nav>
            <header><p>Call now!</p></header>
            <main><h1>Services</h1><p>We fix <b>leaks</b> fast.</p>
              <h2>Water heaters</h2><p>Installation from $1,200.</p>
              <details><summary>Do you work weekends?</summary><p>Yes, Saturdays 8–2.</p></details>
              <div style="display: none">Hidden promo</div>
            </main>
            <footer>© 2026 Joe's</footer></body></html>
            """;
        var doc = await ExtractText(html, "services.html");
        var text = string.Join("\n", doc.Sections.Select(s => s.Question + " " + s.Text));

        Assert.Equal("Joe's Plumbing – Services", doc.Title);
        Assert.Equal("We fix leaks fast.", doc.Sections[0].Text);
        Assert.Equal(["Services", "Water heaters"], doc.Sections[1].HeadingPath);
        Assert.Equal("Do you work weekends?", doc.Sections[2].Question);
        Assert.Equal("Yes, Saturdays 8–2.", doc.Sections[2].Text);
        Assert.DoesNotContain("Home", text, StringComparison.Ordinal);
        Assert.DoesNotContain("tracking", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Call now", text, StringComparison.Ordinal);
        Assert.DoesNotContain("2026", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Hidden", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OverLimit_50MegabyteStream_IsCutAtTheLimit()
    {
        var stream = new GeneratedStream(50L * 1024 * 1024);
        var limits = new ExtractionLimits(MaxBytes: 20L * 1024 * 1024);

        var error = await Assert.ThrowsAsync<DocumentExtractionException>(() => new DocumentExtractors().ExtractAsync(stream, "huge.txt", limits, CancellationToken.None));

        Assert.Equal("'huge.txt' is larger than the 20 MB limit. Split it into smaller files or remove images.", error.Message);
        Assert.True(stream.Produced <= limits.MaxBytes + 81920, $"read {stream.Produced} bytes");
    }

    [Fact]
    public async Task OverLimit_SeekableFile_RefusedBeforeReading()
    {
        await using var stream = TestFiles.Open("handbook-100-pages.pdf");
        await Assert.ThrowsAsync<DocumentExtractionException>(() => new DocumentExtractors().ExtractAsync(stream, "handbook.pdf", new ExtractionLimits(MaxBytes: 1024), CancellationToken.None));
        Assert.Equal(0, stream.Position);
    }

    [Fact]
    public async Task UnsupportedExtension_Refused()
    {
        var error = await Assert.ThrowsAsync<DocumentExtractionException>(() => ExtractText("hello", "photo.jpg"));
        Assert.StartsWith("'photo.jpg' is not a supported file type.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenamedFile_DocxCalledPdf_Refused()
    {
        var error = await FailFile("patient-guide.docx", uploadName: "menu.pdf");
        Assert.Equal("'menu.pdf' is not really a PDF: its content is a Word document. Rename it or upload the original file.", error.Message);
    }

    [Fact]
    public async Task RenamedFile_BinaryCalledTxt_Refused()
    {
        var error = await FailFile("salon-faq.xlsx", uploadName: "notes.txt");
        Assert.Contains("is not really a text file", error.Message, StringComparison.Ordinal);
        var binary = await Assert.ThrowsAsync<DocumentExtractionException>(() =>
            new DocumentExtractors().ExtractAsync(new MemoryStream([0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00]), "setup.md", Limits, CancellationToken.None));
        Assert.Equal("'setup.md' is not really a text file: its content is of a type we cannot read.", binary.Message);
    }

    [Fact]
    public async Task PlainZipCalledDocx_Refused()
    {
        var zip = new MemoryStream();
        using (var archive = new System.IO.Compression.ZipArchive(zip, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            await using var entry = await archive.CreateEntry("xl/notes.txt").OpenAsync();
            await entry.WriteAsync("not a workbook"u8.ToArray());
        }

        zip.Position = 0;
        var error = await Assert.ThrowsAsync<DocumentExtractionException>(() => new DocumentExtractors().ExtractAsync(zip, "faq.docx", Limits, CancellationToken.None));
        Assert.Equal("'faq.docx' is not really a Word document: its content is of a type we cannot read.", error.Message);
    }

    [Theory]
    [InlineData("menu.pdf", DocumentKind.Pdf)]
    [InlineData("patient-guide.docx", DocumentKind.Docx)]
    [InlineData("salon-faq.xlsx", DocumentKind.Xlsx)]
    [InlineData("salon-faq.csv", DocumentKind.Text)]
    public async Task Sniff_RecognisesRealFiles(string file, DocumentKind kind) =>
        Assert.Equal(kind, DocumentExtractors.Sniff(await File.ReadAllBytesAsync(TestFiles.Path(file))));
}
