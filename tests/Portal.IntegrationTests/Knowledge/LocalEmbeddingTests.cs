using System.Numerics.Tensors;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Knowledge;
using Portal.Jobs.Knowledge;
using Portal.Rag.Embeddings;
using Portal.Rag.Ingestion;
using Portal.Rag.Retrieval;

namespace Portal.IntegrationTests.Knowledge;

/// <summary>The keyless app: the bundled MiniLM model embeds new chunks, backfills stored ones and answers paraphrases.</summary>
public sealed class LocalEmbeddingTests(LocalEmbeddingKnowledgeAppFactory app) : IClassFixture<LocalEmbeddingKnowledgeAppFactory>
{
    [Fact]
    public void KeylessApp_ResolvesTheMiniLmModel()
    {
        Assert.IsType<MiniLmEmbeddingGenerator>(app.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
    }

    [Fact]
    public async Task StoredChunksWithoutVectors_AreBackfilled_AndUploadsAreEmbeddedWhenIndexed()
    {
        var tenant = await app.CreateTenantAsync("Local embeddings");
        var tenantId = tenant.TenantId;
        var faq = await app.InTenantAsync(tenantId, sp => sp.GetRequiredService<KnowledgeService>().SaveFaqAsync(tenantId, null, "Is there parking?", "Yes, there is free parking behind the building.", null, CancellationToken.None));
        Assert.True(faq.Succeeded, faq.Error);
        // A chunk from before the model: no vector (as every chunk of a keyless install was).
        Assert.Null(Assert.Single((await app.ReadAsync(faq.DocumentId!.Value)).Chunks).Embedding);

        var upload = await app.InTenantAsync(tenantId, sp => sp.GetRequiredService<KnowledgeService>().UploadAsync(tenantId, "guide.md", new MemoryStream(Encoding.UTF8.GetBytes("# Guide\n\n## Sedation\n\nFor anxious patients we offer laughing gas.")), null, CancellationToken.None));
        Assert.Equal(KnowledgeStatus.Ready, await app.IndexAsync(tenantId, upload.DocumentId!.Value));
        Assert.All((await app.ReadAsync(upload.DocumentId.Value)).Chunks, c =>
        {
            Assert.Equal(MiniLmEmbeddingGenerator.ModelId, c.EmbeddingModel);
            Assert.Equal(MiniLmEmbeddingGenerator.Dimensions, c.Embedding!.Length);
            Assert.Equal(1.0, TensorPrimitives.Norm<float>(c.Embedding), 3);
        });

        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<BackfillEmbeddingsJob>().RunAsync(CancellationToken.None) >= 1);
        }

        Assert.Contains(tenantId, app.Queue.Embeds);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var indexer = scope.ServiceProvider.GetRequiredService<KnowledgeIndexer>();
            Assert.True(await indexer.EmbedMissingAsync(tenantId, CancellationToken.None) >= 1);
            Assert.DoesNotContain(tenantId, await indexer.TenantsMissingEmbeddingsAsync(10_000, CancellationToken.None));
            Assert.Equal(0, await indexer.EmbedMissingAsync(tenantId, CancellationToken.None)); // safe to run twice
        }

        var chunk = Assert.Single((await app.ReadAsync(faq.DocumentId.Value)).Chunks);
        Assert.Equal(MiniLmEmbeddingGenerator.ModelId, chunk.EmbeddingModel);
        Assert.Equal(MiniLmEmbeddingGenerator.Dimensions, chunk.Embedding!.Length);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>();
            await using var context = await db.CreateDbContextAsync();
            Assert.False(await context.KnowledgeChunks.IgnoreQueryFilters().AnyAsync(c => c.TenantId == tenantId && c.EmbeddingModel != MiniLmEmbeddingGenerator.ModelId));
        }
    }

    [Fact]
    public async Task AParaphraseWithNoSharedWord_RanksItsAnswerFirstInTheDenseArm()
    {
        var tenant = await app.CreateTenantAsync("Local embeddings paraphrase");
        var tenantId = tenant.TenantId;
        foreach (var (q, a) in new[]
        {
            ("Do you repair transmissions?", "We do transmission fluid services and clutch replacements."),
            ("Do you have wifi?", "Free wifi is available to guests."),
            ("Do you sell gift cards?", "Gift cards from $20 never expire."),
        })
        {
            Assert.True((await app.InTenantAsync(tenantId, sp => sp.GetRequiredService<KnowledgeService>().SaveFaqAsync(tenantId, null, q, a, null, CancellationToken.None))).Succeeded);
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<KnowledgeIndexer>().EmbedMissingAsync(tenantId, CancellationToken.None);
        }

        // The dense arm as PostgresKnowledgeBase runs it: the tenant's stored vectors, the question embedded by the same model.
        var matrix = await app.Services.GetRequiredService<TenantVectorCache>().GetAsync(tenantId, MiniLmEmbeddingGenerator.ModelId, CancellationToken.None);
        var question = await app.Services.GetRequiredService<SentenceEmbedder>().EmbedAsync("my gearbox is slipping", CancellationToken.None);
        var ranked = matrix.TopK(question, null, 3);
        await using var lookup = app.Services.CreateAsyncScope();
        await using var db = await lookup.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var first = await db.KnowledgeChunks.IgnoreQueryFilters().SingleAsync(c => c.Id == ranked[0].ChunkId);
        Assert.Equal("Do you repair transmissions?", first.Question);
        Assert.True(ranked[0].Cosine > ranked[1].Cosine);
    }

    [Fact]
    public async Task AHitFoundOnlyThroughWordsTheModelCallsUnrelated_IsNotSaid()
    {
        var tenant = await app.CreateTenantAsync("Local embeddings veto");
        var tenantId = tenant.TenantId;
        await app.InTenantAsync(tenantId, sp => sp.GetRequiredService<PortalDbContext>().KnowledgeDocuments.ExecuteDeleteAsync());
        // The café of the retrieval eval: its FAQs and its documents, through the real pipeline.
        var cafe = RetrievalEvalSet.LoadAll().Single(s => s.Id == "cafe");
        foreach (var faq in cafe.Faqs)
        {
            Assert.True((await app.InTenantAsync(tenantId, sp => sp.GetRequiredService<KnowledgeService>().SaveFaqAsync(tenantId, null, faq.Question, faq.Answer, null, CancellationToken.None))).Succeeded);
        }

        foreach (var doc in cafe.Documents)
        {
            var uploaded = await app.InTenantAsync(tenantId, sp => sp.GetRequiredService<KnowledgeService>().UploadAsync(tenantId, doc.Title + ".md", new MemoryStream(Encoding.UTF8.GetBytes(doc.ToMarkdown())), null, CancellationToken.None));
            Assert.Equal(KnowledgeStatus.Ready, await app.IndexAsync(tenantId, uploaded.DocumentId!.Value));
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<KnowledgeIndexer>().EmbedMissingAsync(tenantId, CancellationToken.None);
        }

        var calibration = app.Services.GetRequiredService<MiniLmEmbeddingGenerator>().Calibration;
        Assert.NotNull(calibration.UnrelatedCosine);
        Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string question) =>
            app.InTenantAsync(tenantId, async sp => await sp.GetRequiredService<IKnowledgeBase>().SearchAsync(new KnowledgeQuery(tenantId, question, null, 5), CancellationToken.None));

        // Both reach the parking answer through the receptionist synonyms of "drive" (lexical coverage 0.45 and 0.36, enough
        // to be said without the model), but only the second asks about it: MiniLM scores the answer 0.13 and 0.34.
        Assert.Empty(await SearchAsync("do you have a drive through"));
        Assert.Contains(await SearchAsync("I'm driving over, where can I stop the vehicle"), h => h.Title == "Is there parking?");
    }
}
