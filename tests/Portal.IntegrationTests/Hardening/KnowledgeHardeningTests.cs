using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Fakes.Documents;
using Portal.IntegrationTests.Knowledge;
using Portal.Rag.Ingestion;

namespace Portal.IntegrationTests.Hardening;

/// <summary>The knowledge app with a pay-as-you-go allowance of 6 chunks, so the per-plan limit is reachable with small files.</summary>
public sealed class SmallAllowanceKnowledgeFactory : KnowledgeAppFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Knowledge:MaxChunksPerTenant:PayAsYouGo", "6");
    }
}

/// <summary>
/// Abuse of the knowledge base through the owner's operations and the indexing job: an expansion bomb fails with a clear
/// reason and leaves nothing indexed, the plan's chunk allowance is enforced, control characters are refused and
/// right-to-left overrides are stripped from file names.
/// </summary>
public sealed class KnowledgeHardeningTests(SmallAllowanceKnowledgeFactory app) : IClassFixture<SmallAllowanceKnowledgeFactory>
{
    private Task<IngestResult> UploadAsync(Guid tenant, string name, byte[] bytes) =>
        app.InTenantAsync(tenant, sp => sp.GetRequiredService<KnowledgeService>().UploadAsync(tenant, name, new MemoryStream(bytes), null, CancellationToken.None));

    private static byte[] Sections(int count) =>
        Encoding.UTF8.GetBytes(string.Join("\n\n", Enumerable.Range(1, count).Select(i => $"# Topic {i}\n\nThe answer about topic number {i} is written here in one short paragraph.")));

    [Fact]
    public async Task ExpansionBomb_FailsWithAClearReason_AndNothingIsIndexed()
    {
        var tenant = (await app.CreateTenantAsync("Bomb Dental")).TenantId;
        var upload = await UploadAsync(tenant, "brochure.docx", OfficeBomb.Docx(paragraphs: 1_100_000));
        Assert.True(upload.Succeeded, upload.Error);

        var status = await app.IndexAsync(tenant, upload.DocumentId!.Value);

        Assert.Equal(KnowledgeStatus.Failed, status);
        var (document, chunks, _) = await app.ReadAsync(upload.DocumentId.Value);
        Assert.Equal("'brochure.docx' expands to more than 50 MB when opened and was not read. Split it into smaller documents.", document!.Error);
        Assert.Equal(0, document.ChunkCount);
        Assert.Empty(chunks);
    }

    [Fact]
    public async Task ChunksOverThePlanAllowance_AreRefused_AndTheFirstDocumentsStay()
    {
        var tenant = (await app.CreateTenantAsync("Allowance Dental")).TenantId;
        // Start from an empty knowledge base (the template's FAQs would use the small allowance up).
        await app.InTenantAsync(tenant, sp => sp.GetRequiredService<PortalDbContext>().KnowledgeChunks.IgnoreQueryFilters().Where(c => c.TenantId == tenant).ExecuteDeleteAsync());
        var first = await UploadAsync(tenant, "first.md", Sections(4));
        Assert.Equal(KnowledgeStatus.Ready, await app.IndexAsync(tenant, first.DocumentId!.Value));
        var firstChunks = (await app.ReadAsync(first.DocumentId.Value)).Chunks.Count;
        Assert.InRange(firstChunks, 1, 6);

        var second = await UploadAsync(tenant, "second.md", Sections(8));
        var status = await app.IndexAsync(tenant, second.DocumentId!.Value);

        Assert.Equal(KnowledgeStatus.Failed, status);
        var (document, chunks, _) = await app.ReadAsync(second.DocumentId.Value);
        Assert.Empty(chunks);
        Assert.StartsWith("'second.md' would take your knowledge base to ", document!.Error, StringComparison.Ordinal);
        Assert.EndsWith("over the 6 of your plan. Remove documents you no longer need, or upgrade your plan.", document.Error, StringComparison.Ordinal);
        Assert.Equal(firstChunks, (await app.ReadAsync(first.DocumentId.Value)).Chunks.Count);
    }

    [Fact]
    public async Task Faq_WithANulByte_IsRefusedWithAMessage_AndNothingIsSaved()
    {
        var tenant = (await app.CreateTenantAsync("Faq Nul Dental")).TenantId;

        var result = await app.InTenantAsync(tenant, sp => sp.GetRequiredService<KnowledgeService>().SaveFaqAsync(tenant, null, "Do you open\u0000 on Sundays?", "No.", null, CancellationToken.None));

        Assert.False(result.Succeeded);
        Assert.Equal("The question contains an invisible control character (U+0000). Remove it and try again.", result.Error);
        var saved = await app.InTenantAsync(tenant, sp => sp.GetRequiredService<PortalDbContext>().KnowledgeDocuments.IgnoreQueryFilters()
            .CountAsync(d => d.TenantId == tenant && d.Title.Contains("Sundays")));
        Assert.Equal(0, saved);
    }

    [Fact]
    public async Task FileName_WithARightToLeftOverride_IsStoredWithoutIt()
    {
        var tenant = (await app.CreateTenantAsync("Rlo Dental")).TenantId;

        var upload = await UploadAsync(tenant, "invoice\u202Egpj.md", Sections(1));

        Assert.True(upload.Succeeded, upload.Error);
        var (document, _, _) = await app.ReadAsync(upload.DocumentId!.Value);
        Assert.Equal("invoicegpj.md", document!.SourceName);
    }
}
