using Portal.Fakes.Documents;
using Portal.Rag.Extraction;

namespace Portal.Rag.Tests.Hardening;

/// <summary>Expansion bombs and oversized packages are refused before they are parsed, with a reason the owner understands.</summary>
public sealed class ArchiveLimitTests
{
    private static readonly DocumentExtractors Extractors = new();

    private static Task<ExtractedDocument> ExtractAsync(byte[] bytes, string name, ExtractionLimits? limits = null) =>
        Extractors.ExtractAsync(new MemoryStream(bytes), name, limits ?? new ExtractionLimits(), CancellationToken.None);

    [Fact]
    public async Task Docx_SmallFileInflatingPastTheLimit_IsRefused_WithoutParsing()
    {
        // About 60 MB of repetitive XML in a package of about 1 MB: the shape of the 885 KB / 209 MB probe.
        var bomb = OfficeBomb.Docx(paragraphs: 1_100_000);
        Assert.True(bomb.Length < 1536 * 1024, $"the bomb is {bomb.Length} bytes");
        var before = GC.GetTotalMemory(forceFullCollection: true);

        var error = await Assert.ThrowsAsync<DocumentExtractionException>(() => ExtractAsync(bomb, "bomb.docx"));

        Assert.Equal("'bomb.docx' expands to more than 50 MB when opened and was not read. Split it into smaller documents.", error.Message);
        // Streamed through one buffer, nothing kept: far less than the 60 MB the part inflates to stays allocated.
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Assert.True(after - before < 20L * 1024 * 1024, $"{(after - before) / 1024} KiB still held after the refusal");
    }

    [Fact]
    public async Task Docx_InflatingPastAConfiguredLimit_IsRefused_AndReadWithinTheDefault()
    {
        // 2,000 paragraphs ≈ 100 KB of XML against a 64 KB limit.
        var docx = OfficeBomb.Docx(paragraphs: 2_000);
        var limits = new ExtractionLimits(MaxUncompressedBytes: 64 * 1024);

        var error = await Assert.ThrowsAsync<DocumentExtractionException>(() => ExtractAsync(docx, "notes.docx", limits));

        Assert.StartsWith("'notes.docx' expands to more than 64 KB", error.Message, StringComparison.Ordinal);
        // The same file within the default limits is read.
        var read = await ExtractAsync(docx, "notes.docx");
        Assert.Contains("opening hours", read.Sections[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Docx_WithMorePartsThanAllowed_IsRefused()
    {
        var docx = OfficeBomb.Docx(paragraphs: 3, extraParts: 1_000);

        var error = await Assert.ThrowsAsync<DocumentExtractionException>(() => ExtractAsync(docx, "parts.docx"));

        Assert.Equal("'parts.docx' holds more than 1,000 parts and was not read. Save the content into a simpler document, or split it.", error.Message);
    }

    [Fact]
    public async Task Docx_TextOverTheCharacterLimit_IsRefused()
    {
        // ≈ 47 characters a paragraph × 50,000 = 2.35 million characters in ≈ 3.5 MB of XML (under the size limit).
        var docx = OfficeBomb.Docx(paragraphs: 50_000);

        var error = await Assert.ThrowsAsync<DocumentExtractionException>(() => ExtractAsync(docx, "long.docx"));

        Assert.Equal("'long.docx' holds more than 2,000,000 characters of text and was not read. Split it into smaller documents.", error.Message);
    }

    [Fact]
    public async Task Text_OverTheCharacterLimit_IsRefused()
    {
        var text = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("We open at nine.\n\n", 2_000)));

        var error = await Assert.ThrowsAsync<DocumentExtractionException>(() => ExtractAsync(text, "hours.txt", new ExtractionLimits(MaxTextChars: 10_000)));

        Assert.StartsWith("'hours.txt' holds more than 10,000 characters", error.Message, StringComparison.Ordinal);
    }
}
