using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Domain;
using Portal.Domain.Data;
using Portal.Domain.Entities;
using Portal.Domain.Identity;
using Portal.Domain.Knowledge;
using Portal.Rag;
using Portal.Rag.Ingestion;
using Portal.Rag.Retrieval;

namespace Portal.Benchmarks;

/// <summary>
/// Retrieval latency of <see cref="PostgresKnowledgeBase"/> for one tenant holding N chunks (default 10,000) in a fresh
/// database: lexical only (full-text + trigram) and hybrid (plus dense cosine over 256-dimension local hashed n-gram
/// vectors, the same code path as a real provider minus its HTTP call). Sequential queries; prints p50/p95/p99 in ms.
/// <c>dotnet run -c Release --project benchmarks/Portal.Benchmarks -- --retrieval-bench [--chunks 10000] [--queries 300]</c>
/// </summary>
public static class RetrievalBenchmark
{
    /// <summary>Runs the benchmark; returns the exit code.</summary>
    public static async Task<int> RunAsync(int chunkCount, int queryCount)
    {
        var admin = Environment.GetEnvironmentVariable("PORTAL_TEST_PG") is { Length: > 0 } env ? env : "Host=127.0.0.1;Port=5432;Username=portal;Password=portal;Database=postgres";
        var database = $"portal_rbench_{Guid.NewGuid():N}"[..26];
        await ExecuteAsync(admin, $"CREATE DATABASE \"{database}\"");
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddPortalDomain(connectionString);
            services.AddPortalRag();
            services.AddIdentityCore<PortalUser>().AddRoles<IdentityRole<Guid>>().AddEntityFrameworkStores<PortalDbContext>();
            await using var provider = services.BuildServiceProvider();
            await using (var scope = provider.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(includeDemo: true, CancellationToken.None);
            }

            var embeddings = new HashedNgramEmbeddingGenerator();
            var factory = provider.GetRequiredService<IDbContextFactory<PortalDbContext>>();
            Guid tenantId;
            await using (var db = await factory.CreateDbContextAsync())
            {
                tenantId = await db.Tenants.IgnoreQueryFilters().Where(t => t.Name == DemoSeeder.DemoBusinessName).Select(t => t.Id).SingleAsync();
            }

            var load = Stopwatch.StartNew();
            await SeedChunksAsync(factory, tenantId, chunkCount, embeddings);
            await ExecuteAsync(connectionString, "ANALYZE knowledge_chunks; ANALYZE knowledge_documents;");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Seeded {chunkCount} chunks for one tenant in {load.Elapsed.TotalSeconds:F1} s."));

            var dataSource = provider.GetRequiredService<NpgsqlDataSource>();
            var options = Options.Create(new KnowledgeOptions());
            var gaps = new KnowledgeGapStore(dataSource, TimeProvider.System);
            var queries = Queries(queryCount);
            var lexical = new PostgresKnowledgeBase(dataSource, new TenantVectorCache(dataSource), gaps, options, NullLogger<PostgresKnowledgeBase>.Instance);
            await MeasureAsync("lexical (full-text + trigram)", lexical, tenantId, queries);

            var cache = new TenantVectorCache(dataSource);
            var cold = Stopwatch.StartNew();
            var matrix = await cache.GetAsync(tenantId, HashedNgramEmbeddingGenerator.ModelId, CancellationToken.None);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Vector matrix load (cold, once per change): {matrix.Count} × {matrix.Dimensions} in {cold.Elapsed.TotalMilliseconds:F1} ms."));
            var hybrid = new PostgresKnowledgeBase(dataSource, cache, gaps, options, NullLogger<PostgresKnowledgeBase>.Instance, embeddings);
            await MeasureAsync("hybrid (+ dense 256-d, RRF)", hybrid, tenantId, queries);
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
        }
    }

    private static async Task MeasureAsync(string name, IKnowledgeBase kb, Guid tenantId, IReadOnlyList<string> queries)
    {
        foreach (var q in queries.Take(20))
        {
            await kb.SearchAsync(tenantId, q, 5, CancellationToken.None); // warm-up: JIT, prepared statements, pool
        }

        var samples = new List<double>(queries.Count);
        var answered = 0;
        foreach (var q in queries)
        {
            var sw = Stopwatch.StartNew();
            var hits = await kb.SearchAsync(tenantId, q, 5, CancellationToken.None);
            samples.Add(sw.Elapsed.TotalMilliseconds);
            answered += hits.Count > 0 ? 1 : 0;
        }

        samples.Sort();
        double P(double p) => samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(p * samples.Count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {samples.Count} queries, p50 {P(0.50):F1} ms, p95 {P(0.95):F1} ms, p99 {P(0.99):F1} ms, mean {samples.Average():F1} ms, answered {answered}/{samples.Count}; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
    }

    private static List<string> Queries(int count)
    {
        var source = FaqCatalog.Generated;
        var queries = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var q = source[(i * 7) % source.Count].Question.ToLowerInvariant();
            if (i % 3 == 1)
            {
                // A mis-transcribed word: drop one letter of the longest word.
                var longest = q.Split(' ').MaxBy(w => w.Length)!;
                q = q.Replace(longest, longest.Remove(longest.Length / 2, 1), StringComparison.Ordinal);
            }

            queries.Add(q);
        }

        return queries;
    }

    private static async Task SeedChunksAsync(IDbContextFactory<PortalDbContext> factory, Guid tenantId, int count, HashedNgramEmbeddingGenerator embeddings)
    {
        var source = FaqCatalog.Generated;
        const int perDocument = 100;
        for (var start = 0; start < count; start += perDocument)
        {
            await using var db = await factory.CreateDbContextAsync();
            var doc = new KnowledgeDocument
            {
                TenantId = tenantId, Kind = KnowledgeKind.File, Title = $"Handbook part {(start / perDocument) + 1}", SourceName = $"handbook-{start / perDocument}.md",
                ContentType = "text/markdown", ContentHash = KnowledgeDocument.Hash(BitConverter.GetBytes(start)), Status = KnowledgeStatus.Ready, Progress = 100, PageCount = 1,
            };
            for (var i = start; i < Math.Min(count, start + perDocument); i++)
            {
                var (q, a) = source[i % source.Count];
                var round = i / source.Count;
                var text = round == 0 ? a : $"{a} At our location number {round}, ask at desk {(i % 9) + 1}.";
                var chunk = new KnowledgeChunk { TenantId = tenantId, DocumentId = doc.Id, Ordinal = i - start, Question = i % 3 == 0 ? q : null, Heading = i % 3 == 0 ? null : q, Text = text, TokenCount = KnowledgeChunk.EstimateTokens(text) };
                chunk.Embedding = embeddings.Embed(KnowledgeIndexer.EmbeddingText(new(chunk.Ordinal, chunk.Text, chunk.Heading, chunk.TokenCount, null, chunk.Question)));
                chunk.EmbeddingModel = HashedNgramEmbeddingGenerator.ModelId;
                doc.Chunks.Add(chunk);
            }

            doc.ChunkCount = doc.Chunks.Count;
            db.KnowledgeDocuments.Add(doc);
            await db.SaveChangesAsync();
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
