using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Entities;
using Portal.Domain.Knowledge;
using Portal.Rag.Ingestion;

namespace Portal.IntegrationTests.Knowledge;

/// <summary>
/// Real files of the extraction tests (tests/Portal.Rag.Tests/Files) through upload, the indexing job and retrieval:
/// spreadsheet question/answer rows become one chunk each with the question in its own field, a PDF keeps its pages
/// and headings, and a corrupt file fails with the extractor's reason.
/// </summary>
public sealed class KnowledgeFileIngestionTests(KnowledgeAppFactory app) : IClassFixture<KnowledgeAppFactory>
{
    private static byte[] File(string name) => System.IO.File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Knowledge", "Files", name));

    private async Task<(Guid Tenant, KnowledgeDocument Document, List<KnowledgeChunk> Chunks)> IngestAsync(string fileName)
    {
        var tenant = await app.CreateTenantAsync("Ingest file " + fileName);
        var id = tenant.TenantId;
        var result = await app.InTenantAsync(id, sp => sp.GetRequiredService<KnowledgeService>().UploadAsync(id, fileName, new MemoryStream(File(fileName)), null, CancellationToken.None));
        Assert.True(result.Succeeded, result.Error);
        await app.IndexAsync(id, result.DocumentId!.Value);
        var (document, chunks, _) = await app.ReadAsync(result.DocumentId.Value);
        return (id, document!, chunks);
    }

    private Task<IReadOnlyList<KnowledgeHit>> SearchAsync(Guid tenantId, string question) =>
        app.InTenantAsync(tenantId, async sp => await sp.GetRequiredService<IKnowledgeBase>().SearchAsync(tenantId, question, 5, CancellationToken.None));

    [Theory]
    [InlineData("salon-faq.csv", 4)]
    [InlineData("salon-faq.xlsx", 4)]
    public async Task SpreadsheetRows_BecomeOneChunkEach_WithTheQuestionSearchable(string fileName, int rows)
    {
        var (tenant, document, chunks) = await IngestAsync(fileName);
        Assert.Equal(KnowledgeStatus.Ready, document.Status);
        var qa = chunks.Where(c => c.Question is not null).ToList();
        Assert.Equal(rows, qa.Count);
        var walkIns = Assert.Single(qa, c => c.Question == "Do you take walk-ins?");
        Assert.Equal("Yes, walk-ins are welcome Tuesday to Friday before 3 pm.", walkIns.Text); // the answer alone: quotable

        var hits = await SearchAsync(tenant, "do you take walk ins on fridays?");
        Assert.Equal("Yes, walk-ins are welcome Tuesday to Friday before 3 pm.", hits[0].Text);
        Assert.True(hits[0].IsFaq);
        Assert.Equal("Do you take walk-ins?", hits[0].Title);
    }

    [Fact]
    public async Task Pdf_IsIndexedWithPagesAndHeadings()
    {
        var (tenant, document, chunks) = await IngestAsync("menu.pdf");
        Assert.Equal(KnowledgeStatus.Ready, document.Status);
        Assert.Equal(chunks.Count, document.ChunkCount);
        Assert.All(chunks, c => Assert.Equal(1, c.PageNumber));
        var breakfast = Assert.Single(chunks, c => c.Text.Contains("Buttermilk pancakes", StringComparison.Ordinal));
        Assert.EndsWith("Breakfast", breakfast.Heading, StringComparison.Ordinal);
        Assert.DoesNotContain("Breakfast\n", breakfast.Text, StringComparison.Ordinal); // the heading has its own field
        Assert.Contains("Buttermilk pancakes", (await SearchAsync(tenant, "how much are the pancakes?"))[0].Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("corrupt-truncated.pdf", "damaged")]
    [InlineData("encrypted.pdf", "password")]
    [InlineData("empty.docx", "no text")]
    public async Task UnreadableRealFile_Fails_WithTheExtractorsReason_AndNoChunks(string fileName, string expected)
    {
        var (_, document, chunks) = await IngestAsync(fileName);
        Assert.Equal(KnowledgeStatus.Failed, document.Status);
        Assert.Contains(expected, document.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(chunks);
    }
}

/// <summary>Website import through the job: the crawler reads a local site (robots.txt, a slow page, depth) into chunks.</summary>
public sealed class KnowledgeWebsiteIngestionTests(KnowledgeAppFactory app) : IClassFixture<KnowledgeAppFactory>
{
    [Fact]
    public async Task Website_IsCrawledIntoChunks_RespectingRobotsTxt_AndSkippingTheSlowPage()
    {
        await using var site = await Portal.Fakes.Web.LocalSite.StartAsync();
        var tenant = await app.CreateTenantAsync("Ingest website");
        var id = tenant.TenantId;
        var added = await app.InTenantAsync(id, sp => sp.GetRequiredService<KnowledgeService>().AddUrlAsync(id, site.Root.AbsoluteUri, null, CancellationToken.None));
        Assert.True(added.Succeeded, added.Error);

        Assert.Equal(KnowledgeStatus.Ready, await app.IndexAsync(id, added.DocumentId!.Value));
        var (document, chunks, _) = await app.ReadAsync(added.DocumentId.Value);
        Assert.Equal("Home – Harbor Café", document!.Title);
        Assert.True(document.PageCount >= 3, $"{document.PageCount} pages");
        var text = string.Join("\n", chunks.Select(c => c.Text));
        Assert.Contains("Pancakes $9.50.", text, StringComparison.Ordinal);
        Assert.Contains("Family run since 1987.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Rota", text, StringComparison.Ordinal); // /private/ is disallowed by robots.txt
        Assert.DoesNotContain("Soup of the day", text, StringComparison.Ordinal); // slower than the 2 s page timeout
        Assert.Equal("Yes, oat milk and a vegan bowl.", Assert.Single(chunks, c => c.Question == "Do you have vegan options?").Text);
    }
}
