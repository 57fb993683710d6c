using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Identity;
using Portal.Data.Tenancy;
using Portal.Domain;
using Portal.Domain.Seeding;
using Portal.Domain.Tenancy;
using Portal.Rag;
using Portal.Rag.Extraction;
using Portal.Rag.Ingestion;
using Portal.Rag.Retrieval;
using UglyToad.PdfPig.Writer;

namespace Portal.Benchmarks;

/// <summary>
/// Ingestion throughput through the real pipeline for one PDF (default: the 100-page handbook of the extraction
/// tests, about 400 words a page): <see cref="KnowledgeService.UploadAsync"/> (read, hash, store the bytes) then the
/// indexing job <see cref="KnowledgeIndexer.RunAsync"/> (extract with <see cref="DocumentExtractors"/>, chunk with the
/// cl100k <c>Chunker</c>, replace the chunks in PostgreSQL in one transaction), in a fresh database, lexical index
/// only (no embedding provider). Extraction and chunking are also timed alone on the same bytes, so the database
/// share is the job's time minus theirs. The first run includes JIT; the figures are pages per second.
/// <c>dotnet run -c Release --project benchmarks/Portal.Benchmarks -- --ingest-bench [--pages 100] [--runs 5] [--minilm]</c>
/// (<c>--minilm</c>: the job also embeds every chunk with the keyless default model, all-MiniLM-L6-v2, as the app does)
/// (<c>--pages</c> other than the handbook's 100 repeats or trims its pages with PdfPig's merger).
/// </summary>
public static class IngestionBenchmark
{
    /// <summary>Runs the benchmark; returns the exit code (1 when a run did not end ready).</summary>
    public static async Task<int> RunAsync(int pages, int runs, bool miniLm = false)
    {
        var pdf = BuildPdf(pages);
        var admin = Environment.GetEnvironmentVariable("PORTAL_TEST_PG") is { Length: > 0 } env ? env : "Host=127.0.0.1;Port=5432;Username=portal;Password=portal;Database=postgres";
        var database = $"portal_ibench_{Guid.NewGuid():N}"[..26];
        await ExecuteAsync(admin, $"CREATE DATABASE \"{database}\"");
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddPortalDomain(connectionString);
            services.AddPortalRag();
            if (miniLm)
            {
                services.AddLocalEmbeddings();
            }

            services.AddSingleton<IKnowledgeJobQueue, DirectQueue>();
            services.AddIdentityCore<PortalUser>().AddRoles<IdentityRole<Guid>>().AddEntityFrameworkStores<PortalDbContext>();
            await using var provider = services.BuildServiceProvider();
            await using (var scope = provider.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(includeDemo: true, CancellationToken.None);
            }

            Guid tenantId;
            await using (var db = await provider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
            {
                tenantId = await db.Tenants.IgnoreQueryFilters().Where(t => t.Name == DemoSeeder.DemoBusinessName).Select(t => t.Id).SingleAsync();
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Input: {pages}-page PDF, {pdf.Length / 1024.0:F0} KiB; {runs} runs (the first includes JIT); load {Load()}"));
            var limits = provider.GetRequiredService<IOptions<KnowledgeOptions>>().Value.Limits;
            var chunker = provider.GetRequiredService<ITextChunker>();
            var failed = 0;
            for (var run = 1; run <= runs; run++)
            {
                await using var scope = provider.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(tenantId);
                var service = scope.ServiceProvider.GetRequiredService<KnowledgeService>();
                var total = Stopwatch.StartNew();
                var upload = await service.UploadAsync(tenantId, $"handbook-{run}.pdf", new MemoryStream(pdf), null, CancellationToken.None);
                var uploadMs = total.Elapsed.TotalMilliseconds;
                if (upload.DocumentId is not { } documentId || upload.Duplicate)
                {
                    Console.WriteLine($"run {run}: upload refused: {upload.Error ?? "duplicate"}");
                    return 1;
                }

                var job = Stopwatch.StartNew();
                var status = await scope.ServiceProvider.GetRequiredService<KnowledgeIndexer>().RunAsync(tenantId, documentId, CancellationToken.None);
                var jobMs = job.Elapsed.TotalMilliseconds;
                var totalMs = total.Elapsed.TotalMilliseconds;
                int chunkCount;
                await using (var db = await provider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
                {
                    chunkCount = await db.KnowledgeChunks.IgnoreQueryFilters().CountAsync(c => c.DocumentId == documentId);
                }

                // The same extraction and chunking alone, to split the job's time.
                var extract = Stopwatch.StartNew();
                var extracted = await new DocumentExtractors().ExtractAsync(new MemoryStream(pdf), "handbook.pdf", limits, CancellationToken.None);
                var extractMs = extract.Elapsed.TotalMilliseconds;
                var chunk = Stopwatch.StartNew();
                var chunks = chunker.Chunk(extracted);
                var chunkMs = chunk.Elapsed.TotalMilliseconds;
                failed += status == KnowledgeStatus.Ready ? 0 : 1;
                await service.DeleteAsync(tenantId, documentId, CancellationToken.None); // the next run uploads the same bytes again
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"run {run}: {status}, {extracted.PageCount} pages, {chunkCount} chunks ({chunks.Sum(c => c.TokenCount):N0} tokens); upload {uploadMs:F0} ms, job {jobMs:F0} ms " +
                    $"(extract {extractMs:F0} ms, chunk {chunkMs:F0} ms, status + database ≈ {Math.Max(0, jobMs - extractMs - chunkMs):F0} ms); " +
                    $"upload→ready {totalMs:F0} ms = {extracted.PageCount / (totalMs / 1000):F1} pages/s; load {Load()}"));
            }

            return failed == 0 ? 0 : 1;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
        }
    }

    /// <summary>The handbook when <paramref name="pages"/> is 100, else its pages repeated or trimmed to <paramref name="pages"/>.</summary>
    private static byte[] BuildPdf(int pages)
    {
        var handbook = File.ReadAllBytes(FindHandbook());
        const int handbookPages = 100;
        if (pages == handbookPages)
        {
            return handbook;
        }

        var files = new List<byte[]>();
        var bundles = new List<IReadOnlyList<int>>();
        for (var left = pages; left > 0; left -= handbookPages)
        {
            files.Add(handbook);
            bundles.Add([.. Enumerable.Range(1, Math.Min(handbookPages, left))]);
        }

        return PdfMerger.Merge(files, bundles);
    }

    private static string FindHandbook()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Portal.Rag.Tests", "Files", "handbook-100-pages.pdf");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("tests/Portal.Rag.Tests/Files/handbook-100-pages.pdf not found above " + AppContext.BaseDirectory);
    }

    private static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The benchmark runs the job itself, so nothing is queued.</summary>
    private sealed class DirectQueue : IKnowledgeJobQueue
    {
        public void EnqueueIndex(Guid tenantId, Guid documentId)
        {
        }

        public void EnqueueEmbedMissing(Guid tenantId)
        {
        }
    }
}
