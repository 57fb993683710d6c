using Portal.Rag.Extraction;

namespace Portal.Rag.Tests.Extraction;

public abstract class ExtractionTestBase
{
    protected static readonly ExtractionLimits Limits = new();

    protected static async Task<ExtractedDocument> ExtractFile(string name, ExtractionLimits? limits = null)
    {
        await using var stream = TestFiles.Open(name);
        return await new DocumentExtractors().ExtractAsync(stream, name, limits ?? Limits, CancellationToken.None);
    }

    protected static async Task<DocumentExtractionException> FailFile(string name, ExtractionLimits? limits = null, string? uploadName = null)
    {
        await using var stream = TestFiles.Open(name);
        return await Assert.ThrowsAsync<DocumentExtractionException>(() => new DocumentExtractors().ExtractAsync(stream, uploadName ?? name, limits ?? Limits, CancellationToken.None));
    }

    protected static Task<ExtractedDocument> ExtractText(string text, string fileName) =>
        new DocumentExtractors().ExtractAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), fileName, Limits, CancellationToken.None);

    protected static string Dump(ExtractedDocument document) =>
        string.Join("\n---\n", document.Sections.Select(s => $"[{string.Join(" > ", s.HeadingPath)}] p{s.PageNumber} Q={s.Question}\n{s.Text}"));
}
