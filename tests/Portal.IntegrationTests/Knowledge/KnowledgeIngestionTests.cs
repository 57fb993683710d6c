using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Knowledge;
using Portal.Rag.Ingestion;

namespace Portal.IntegrationTests.Knowledge;

public sealed class KnowledgeIngestionTests(KnowledgeAppFactory app) : IClassFixture<KnowledgeAppFactory>
{
    private const string ParkingGuide = "# Visiting us\n\n## Bicycles\n\nBike racks are by the Elm Street entrance.\n\nQ: Do you validate garage tickets?\nA: Yes, bring your ticket to the front desk.";

    private Task<IngestResult> UploadAsync(Guid tenantId, string fileName, byte[] content) =>
        app.InTenantAsync(tenantId, sp => sp.GetRequiredService<KnowledgeService>().UploadAsync(tenantId, fileName, new MemoryStream(content), null, CancellationToken.None));

    private Task<IReadOnlyList<KnowledgeHit>> SearchAsync(Guid tenantId, string question) =>
        app.InTenantAsync(tenantId, async sp => await sp.GetRequiredService<IKnowledgeBase>().SearchAsync(tenantId, question, 5, CancellationToken.None));

    private Task<int> DocumentCountAsync(Guid tenantId) =>
        app.InTenantAsync(tenantId, sp => sp.GetRequiredService<PortalDbContext>().KnowledgeDocuments.CountAsync(d => d.Kind != KnowledgeKind.Faq));

    [Fact]
    public async Task Upload_IsQueued_ThenTheJobMakesItReady_AndSearchable()
    {
        var tenant = await app.CreateTenantAsync("Ingest ready");
        var result = await UploadAsync(tenant.TenantId, "visiting.md", Encoding.UTF8.GetBytes(ParkingGuide));
        Assert.True(result.Succeeded, result.Error);
        Assert.Contains((tenant.TenantId, result.DocumentId!.Value), app.Queue.Indexed);
        var (queued, none, hasFile) = await app.ReadAsync(result.DocumentId.Value);
        Assert.Equal(KnowledgeStatus.Queued, queued!.Status);
        Assert.Empty(none);
        Assert.True(hasFile);

        Assert.Equal(KnowledgeStatus.Ready, await app.IndexAsync(tenant.TenantId, result.DocumentId.Value));
        var (ready, chunks, _) = await app.ReadAsync(result.DocumentId.Value);
        Assert.Equal(KnowledgeStatus.Ready, ready!.Status);
        Assert.Equal(100, ready.Progress);
        Assert.Equal(chunks.Count, ready.ChunkCount);
        Assert.Equal(2, chunks.Count);
        Assert.Equal("Do you validate garage tickets?", chunks[1].Question);
        Assert.Equal("Visiting us › Bicycles", chunks[0].Heading);

        var hits = await SearchAsync(tenant.TenantId, "do you have bike racks?");
        Assert.NotEmpty(hits);
        Assert.Contains("Elm Street", hits[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Job_GoesThroughProcessing_BeforeReady()
    {
        var tenant = await app.CreateTenantAsync("Ingest transitions");
        var result = await UploadAsync(tenant.TenantId, "notes.spy", "Our lab is on the second floor."u8.ToArray());
        var id = result.DocumentId!.Value;
        app.Spy.StatusProbe = async () => (await app.ReadAsync(id)).Document?.Status;
        try
        {
            Assert.Equal(KnowledgeStatus.Ready, await app.IndexAsync(tenant.TenantId, id));
        }
        finally
        {
            app.Spy.StatusProbe = null;
        }

        Assert.Contains(KnowledgeStatus.Processing, app.Spy.StatusesSeen);
    }

    [Theory]
    [InlineData("policy.exe", 100, "not a supported file type")]
    [InlineData("empty.txt", 0, "is empty")]
    [InlineData("huge.txt", (20 * 1024 * 1024) + 10, "larger than")] // the default 20 MiB limit, enforced while reading
    public async Task BadUpload_GetsAClearError_AndStoresNothing(string fileName, int size, string expected)
    {
        var tenant = await app.CreateTenantAsync("Ingest refused " + fileName);
        var result = await UploadAsync(tenant.TenantId, fileName, Enumerable.Repeat((byte)'a', size).ToArray());
        Assert.False(result.Succeeded);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Equal(0, await DocumentCountAsync(tenant.TenantId));
    }

    public static TheoryData<string, byte[], string> FilesThatFailInTheJob => new()
    {
        { "binary.txt", [0x48, 0x00, 0x49, 0x00, 0x00], "binary" },
        { "blank.md", "  \n\n  "u8.ToArray(), "is empty" },
    };

    [Theory]
    [MemberData(nameof(FilesThatFailInTheJob))]
    public async Task UnreadableFile_Fails_WithTheReason_AndLeavesNoChunks(string fileName, byte[] content, string expected)
    {
        var tenant = await app.CreateTenantAsync("Ingest fails " + fileName);
        var result = await UploadAsync(tenant.TenantId, fileName, content);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(KnowledgeStatus.Failed, await app.IndexAsync(tenant.TenantId, result.DocumentId!.Value));
        var (doc, chunks, _) = await app.ReadAsync(result.DocumentId.Value);
        Assert.Equal(KnowledgeStatus.Failed, doc!.Status);
        Assert.Contains(expected, doc.Error, StringComparison.Ordinal);
        Assert.Empty(chunks);
        Assert.Equal(0, doc.ChunkCount);
    }

    /// <summary>
    /// A text file saved as Windows-1252/Latin-1 (Notepad, Excel exports on Western Windows) is read, not refused: owners
    /// cannot tell the encodings apart, and refusing "Café" because of how it was saved helps nobody.
    /// </summary>
    [Fact]
    public async Task Latin1TextFile_IsDecoded_AndIndexed()
    {
        var tenant = await app.CreateTenantAsync("Ingest latin1");
        var content = CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetBytes("Our Café serves crème brûlée daily. €5");
        Assert.Equal(0xE9, content[7]); // one byte per letter: not UTF-8
        var result = await UploadAsync(tenant.TenantId, "latin1.txt", content);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(KnowledgeStatus.Ready, await app.IndexAsync(tenant.TenantId, result.DocumentId!.Value));
        var chunk = Assert.Single((await app.ReadAsync(result.DocumentId.Value)).Chunks);
        Assert.Equal("Our Café serves crème brûlée daily. €5", chunk.Text);
        Assert.Contains("Café", Assert.Single(await SearchAsync(tenant.TenantId, "what does the cafe serve, creme brulee?")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReindexThatFails_RemovesTheOldChunks()
    {
        var tenant = await app.CreateTenantAsync("Ingest reindex fails");
        var id = (await UploadAsync(tenant.TenantId, "menu.spy", "Lunch is served from noon."u8.ToArray())).DocumentId!.Value;
        Assert.Equal(KnowledgeStatus.Ready, await app.IndexAsync(tenant.TenantId, id));
        Assert.NotEmpty((await app.ReadAsync(id)).Chunks);

        app.Spy.FailWith = "This file is password-protected.";
        try
        {
            Assert.Equal(KnowledgeStatus.Failed, await app.IndexAsync(tenant.TenantId, id));
        }
        finally
        {
            app.Spy.FailWith = null;
        }

        var (doc, chunks, _) = await app.ReadAsync(id);
        Assert.Equal("This file is password-protected.", doc!.Error);
        Assert.Empty(chunks);
        Assert.Empty(await SearchAsync(tenant.TenantId, "when is lunch served"));
    }

    [Fact]
    public async Task SameContentTwice_IsStoredOnce()
    {
        var tenant = await app.CreateTenantAsync("Ingest twice");
        var bytes = Encoding.UTF8.GetBytes(ParkingGuide);
        var first = await UploadAsync(tenant.TenantId, "parking.md", bytes);
        var second = await UploadAsync(tenant.TenantId, "parking-copy.md", bytes);
        Assert.False(first.Duplicate);
        Assert.True(second.Duplicate);
        Assert.Equal(first.DocumentId, second.DocumentId);
        Assert.Equal(1, await DocumentCountAsync(tenant.TenantId));
        Assert.Single(app.Queue.Indexed, q => q.DocumentId == first.DocumentId);
    }

    [Fact]
    public async Task Delete_RemovesDocumentChunksAndFile()
    {
        var tenant = await app.CreateTenantAsync("Ingest delete");
        var id = (await UploadAsync(tenant.TenantId, "visiting.md", Encoding.UTF8.GetBytes(ParkingGuide))).DocumentId!.Value;
        await app.IndexAsync(tenant.TenantId, id);
        Assert.True(await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<KnowledgeService>().DeleteAsync(tenant.TenantId, id, CancellationToken.None)));
        var (doc, chunks, hasFile) = await app.ReadAsync(id);
        Assert.Null(doc);
        Assert.Empty(chunks);
        Assert.False(hasFile);
        Assert.Empty(await SearchAsync(tenant.TenantId, "do you have bike racks?"));
    }

    [Fact]
    public async Task Delete_OfAnotherTenantsDocument_DoesNothing()
    {
        var owner = await app.CreateTenantAsync("Ingest owner");
        var other = await app.CreateTenantAsync("Ingest intruder");
        var id = (await UploadAsync(owner.TenantId, "visiting.md", Encoding.UTF8.GetBytes(ParkingGuide))).DocumentId!.Value;
        Assert.False(await app.InTenantAsync(other.TenantId, sp => sp.GetRequiredService<KnowledgeService>().DeleteAsync(other.TenantId, id, CancellationToken.None)));
        Assert.NotNull((await app.ReadAsync(id)).Document);
    }

    [Fact]
    public async Task Reindex_RebuildsTheChunks()
    {
        var tenant = await app.CreateTenantAsync("Ingest reindex");
        var id = (await UploadAsync(tenant.TenantId, "visiting.md", Encoding.UTF8.GetBytes(ParkingGuide))).DocumentId!.Value;
        await app.IndexAsync(tenant.TenantId, id);
        var before = (await app.ReadAsync(id)).Chunks.Select(c => c.Id).ToList();

        Assert.True(await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<KnowledgeService>().ReindexAsync(tenant.TenantId, id, CancellationToken.None)));
        Assert.Equal(KnowledgeStatus.Queued, (await app.ReadAsync(id)).Document!.Status);
        Assert.Equal(2, app.Queue.Indexed.Count(q => q.DocumentId == id));
        Assert.Equal(KnowledgeStatus.Ready, await app.IndexAsync(tenant.TenantId, id));
        var after = (await app.ReadAsync(id)).Chunks;
        Assert.Equal(before.Count, after.Count);
        Assert.Empty(after.Select(c => c.Id).Intersect(before));
    }

    [Fact]
    public async Task Faq_IsReadyAtOnce_AndAnEditReplacesItsAnswer()
    {
        var tenant = await app.CreateTenantAsync("Ingest faq");
        var service = (IServiceProvider sp) => sp.GetRequiredService<KnowledgeService>();
        var added = await app.InTenantAsync(tenant.TenantId, sp => service(sp).SaveFaqAsync(tenant.TenantId, null, "Do you have wifi?", "Yes, the password is on the reception desk.", null, CancellationToken.None));
        Assert.True(added.Succeeded, added.Error);
        Assert.Contains("password", (await SearchAsync(tenant.TenantId, "is there wifi"))[0].Text, StringComparison.Ordinal);

        var duplicate = await app.InTenantAsync(tenant.TenantId, sp => service(sp).SaveFaqAsync(tenant.TenantId, null, "Do you have wifi?", "Yes, the password is on the reception desk.", null, CancellationToken.None));
        Assert.True(duplicate.Duplicate);

        var edited = await app.InTenantAsync(tenant.TenantId, sp => service(sp).SaveFaqAsync(tenant.TenantId, added.DocumentId, "Do you have wifi?", "No, we have no guest wifi.", null, CancellationToken.None));
        Assert.True(edited.Succeeded, edited.Error);
        var (doc, chunks, _) = await app.ReadAsync(added.DocumentId!.Value);
        Assert.Equal("No, we have no guest wifi.", Assert.Single(chunks).Text);
        Assert.Equal(KnowledgeStatus.Ready, doc!.Status);
        Assert.Contains("no guest wifi", (await SearchAsync(tenant.TenantId, "is there wifi"))[0].Text, StringComparison.Ordinal);

        var blank = await app.InTenantAsync(tenant.TenantId, sp => service(sp).SaveFaqAsync(tenant.TenantId, null, " ", "x", null, CancellationToken.None));
        Assert.False(blank.Succeeded);
    }
}
