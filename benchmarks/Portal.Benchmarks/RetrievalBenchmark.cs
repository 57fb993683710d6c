using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Identity;
using Portal.Domain;
using Portal.Domain.Knowledge;
using Microsoft.Extensions.AI;
using Portal.Domain.Seeding;
using Portal.Rag;
using Portal.Rag.Embeddings;
using Portal.Rag.Ingestion;
using Portal.Rag.Retrieval;

namespace Portal.Benchmarks;

/// <summary>
/// Retrieval latency of <see cref="PostgresKnowledgeBase"/> for one tenant holding N chunks (default 10,000) in a fresh
/// database: lexical only (full-text + trigram) and hybrid (plus dense cosine over 256-dimension local hashed n-gram
/// vectors, the same code path as a real provider minus its HTTP call). The corpus is the FAQ catalog's answers, each
/// followed in later rounds by four to eight sentences of one of 40 location offices (towns, dentists, streets, hours), so
/// texts are 50 to 250 tokens and differ; the queries are caller wording (<see cref="Queries"/>). Sequential warm queries
/// through <see cref="IKnowledgeBase.SearchAsync(Guid, string, int, CancellationToken)"/>; prints p50/p95/p99 in ms.
/// With <c>--minilm</c> the dense arm is the keyless default, all-MiniLM-L6-v2 (384 dimensions): the chunks are embedded
/// by the model while seeding (throughput printed) and every query is embedded by it (included in the latency).
/// <c>dotnet run -c Release --project benchmarks/Portal.Benchmarks -- --retrieval-bench [--chunks 10000] [--queries 300] [--minilm]</c>
/// </summary>
public static class RetrievalBenchmark
{
    /// <summary>Runs the benchmark; returns the exit code.</summary>
    public static async Task<int> RunAsync(int chunkCount, int queryCount, bool keepDatabase = false, bool miniLm = false)
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

            // --minilm: the keyless default (all-MiniLM-L6-v2, 384-d; the chunks are embedded through the bulk lane, timed).
            IEmbeddingGenerator<string, Embedding<float>> embeddings = miniLm
                ? new MiniLmEmbeddingGenerator(Options.Create(new LocalEmbeddingOptions()), NullLogger<MiniLmEmbeddingGenerator>.Instance)
                : new HashedNgramEmbeddingGenerator();
            var model = PostgresKnowledgeBase.EmbeddingModelName(embeddings);
            var factory = provider.GetRequiredService<IDbContextFactory<PortalDbContext>>();
            Guid tenantId;
            await using (var db = await factory.CreateDbContextAsync())
            {
                tenantId = await db.Tenants.IgnoreQueryFilters().Where(t => t.Name == DemoSeeder.DemoBusinessName).Select(t => t.Id).SingleAsync();
            }

            var load = Stopwatch.StartNew();
            await SeedChunksAsync(factory, tenantId, chunkCount, embeddings);
            await ExecuteAsync(connectionString, "VACUUM ANALYZE knowledge_chunks"); // the steady state autovacuum keeps
            await ExecuteAsync(connectionString, "VACUUM ANALYZE knowledge_documents");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Seeded {chunkCount} chunks for one tenant in {load.Elapsed.TotalSeconds:F1} s."));

            // Lexical: the IKnowledgeBase the conversation engine resolves (scoped, singleton caches), as it runs in the app.
            var queries = Queries(queryCount);
            await using (var scope = provider.CreateAsyncScope())
            {
                await MeasureAsync("lexical (full-text + trigram)", scope.ServiceProvider.GetRequiredService<IKnowledgeBase>(), tenantId, queries);
            }

            var dataSource = provider.GetRequiredService<NpgsqlDataSource>();
            var cache = provider.GetRequiredService<TenantVectorCache>();
            var cold = Stopwatch.StartNew();
            var matrix = await cache.GetAsync(tenantId, model, CancellationToken.None);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Vector matrix load (cold, once per change): {matrix.Count} × {matrix.Dimensions} in {cold.Elapsed.TotalMilliseconds:F1} ms."));
            var lexicons = provider.GetRequiredService<TenantLexiconCache>();
            lexicons.Invalidate(tenantId);
            cold.Restart();
            var lexicon = await lexicons.GetAsync(tenantId, CancellationToken.None);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Word statistics load (cold, once per change): {lexicon.WordCount} words of {lexicon.ChunkCount} chunks in {cold.Elapsed.TotalMilliseconds:F1} ms."));

            // Hybrid: the same class with an embedding generator, as DI builds it when a provider is configured.
            var hybrid = new PostgresKnowledgeBase(dataSource, cache, lexicons, provider.GetRequiredService<KnowledgeGapStore>(), provider.GetRequiredService<IOptions<KnowledgeOptions>>(),
                NullLogger<PostgresKnowledgeBase>.Instance, embeddings);
            // No SentenceEmbedder: every query is embedded (a repeated question would come from its cache in the app).
            await MeasureAsync($"hybrid (+ dense {matrix.Dimensions}-d {model}, query embedding included, RRF)", hybrid, tenantId, queries);
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            if (keepDatabase)
            {
                Console.WriteLine($"Database kept for EXPLAIN: {database} (drop it with DROP DATABASE \"{database}\").");
            }
            else
            {
                await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
            }
        }
    }

    private static async Task MeasureAsync(string name, IKnowledgeBase kb, Guid tenantId, IReadOnlyList<string> queries)
    {
        foreach (var q in queries.Take(20))
        {
            await kb.SearchAsync(tenantId, q, 5, CancellationToken.None); // warm-up: JIT, prepared statements, pool
        }

        var samples = new List<double>(queries.Count);
        var slowest = new List<(double Ms, string Query)>();
        var answered = 0;
        var outOfScopeAnswered = 0;
        foreach (var q in queries)
        {
            var sw = Stopwatch.StartNew();
            var hits = await kb.SearchAsync(tenantId, q, 5, CancellationToken.None);
            samples.Add(sw.Elapsed.TotalMilliseconds);
            slowest.Add((sw.Elapsed.TotalMilliseconds, q));
            answered += hits.Count > 0 ? 1 : 0;
            outOfScopeAnswered += hits.Count > 0 && OutOfScope.Contains(q) ? 1 : 0;
        }

        samples.Sort();
        double P(double p) => samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(p * samples.Count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {samples.Count} queries, p50 {P(0.50):F1} ms, p95 {P(0.95):F1} ms, p99 {P(0.99):F1} ms, mean {samples.Average():F1} ms, answered {answered}/{samples.Count} (out of scope answered: {outOfScopeAnswered}/{queries.Count(OutOfScope.Contains)}); load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
        Console.WriteLine("  slowest: " + string.Join("; ", slowest.OrderByDescending(x => x.Ms).DistinctBy(x => x.Query).Take(6).Select(x => string.Create(CultureInfo.InvariantCulture, $"\"{x.Query}\" {x.Ms:F1} ms"))));
    }

    /// <summary>Questions callers ask that no chunk answers (about 1 in 7 queries): the "I don't know" path.</summary>
    private static readonly string[] OutOfScope =
    [
        "do you repair motorcycles", "can i order a large pepperoni pizza", "what time does the pharmacy next door close",
        "do you sell car insurance", "can you book me a flight to denver", "is the swimming pool heated", "do you groom dogs",
        "how do i reset my router", "what is the weather tomorrow", "do you do tattoo removal on the arm",
    ];

    /// <summary>Speech-to-text confusions applied to some queries (heard word → transcribed word).</summary>
    private static readonly (string Heard, string Written)[] Misheard =
    [
        ("braces", "bracelets"), ("fillings", "feelings"), ("crowns", "clowns"), ("cleaning", "clean in"), ("insurance", "in shorts"),
        ("veneers", "veneer's"), ("implants", "implant"), ("whitening", "widening"), ("root canals", "route canals"), ("wheelchair", "wheel chair"),
    ];

    private static readonly Func<string, string>[] Phrasings =
    [
        q => q,
        q => q.Replace("do you offer ", "do u do ", StringComparison.Ordinal).Replace("do you ", "do u ", StringComparison.Ordinal),
        q => "hi um " + q.TrimEnd('?'),
        q => "yeah i was wondering " + q.TrimEnd('?') + " thanks",
        q => q.Replace("what is the typical fee for ", "how much are ", StringComparison.Ordinal).Replace("how long do ", "how much time for ", StringComparison.Ordinal),
        q => q.Replace("does insurance cover ", "will my insurance pay for ", StringComparison.Ordinal).Replace("can children get ", "can my kid get ", StringComparison.Ordinal),
    ];

    /// <summary>
    /// Caller questions: the catalog's questions as callers say them (lower case, fillers, paraphrases with synonyms,
    /// one in three with a typo, one in ten with a speech-to-text confusion), and about one in seven out of scope.
    /// </summary>
    private static List<string> Queries(int count)
    {
        var source = FaqCatalog.Generated;
        var random = new Random(20261123);
        var queries = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            if (i % 7 == 3)
            {
                queries.Add(OutOfScope[(i / 7) % OutOfScope.Length]);
                continue;
            }

            var q = Phrasings[random.Next(Phrasings.Length)](source[(i * 7) % source.Count].Question.ToLowerInvariant());
            if (i % 3 == 1)
            {
                // A typo: one letter of the longest word dropped, doubled or swapped with the next.
                var longest = q.Split(' ').MaxBy(w => w.Length)!;
                var at = longest.Length / 2;
                var typo = (i / 3 % 3) switch
                {
                    0 => longest.Remove(at, 1),
                    1 => longest.Insert(at, longest[at].ToString()),
                    _ => string.Concat(longest.AsSpan(0, at - 1), longest[at].ToString(), longest[at - 1].ToString(), longest.AsSpan(at + 1)),
                };
                q = q.Replace(longest, typo, StringComparison.Ordinal);
            }
            else if (i % 10 == 5 && Misheard.FirstOrDefault(m => q.Contains(m.Heard, StringComparison.Ordinal)) is { Heard: not null } m)
            {
                q = q.Replace(m.Heard, m.Written, StringComparison.Ordinal);
            }

            queries.Add(q);
        }

        return queries;
    }

    private static readonly string[] Towns =
    [
        "Maplewood", "Riverside", "Oak Hill", "Cedar Falls", "Brookfield", "Lakeview", "Fairmont", "Hillcrest", "Westbury", "Elmhurst",
        "Kingsbridge", "Ashford", "Millbrook", "Stonegate", "Pinecrest", "Harbor Point", "Greenwich Village", "Bayside", "Northgate", "Willowdale",
        "Clearwater", "Sunnyvale", "Redwood", "Foxborough", "Glen Ridge", "Springfield", "Meadowbrook", "Windsor", "Eastwood", "Crestview",
        "Silver Lake", "Fort Lee", "Montclair", "Summit", "Tenafly", "Hoboken", "Nutley", "Ridgewood", "Paramus", "Teaneck",
    ];

    private static readonly string[] Dentists =
    [
        "Dr. Amelia Chen", "Dr. Rafael Ortiz", "Dr. Priya Natarajan", "Dr. Jonas Weber", "Dr. Sarah Goldberg", "Dr. Kwame Mensah", "Dr. Elena Petrova",
        "Dr. Marcus Reid", "Dr. Yuki Tanaka", "Dr. Fatima Haddad", "Dr. Liam O'Brien", "Dr. Sofia Rossi", "Dr. Daniel Kim", "Dr. Grace Adeyemi",
    ];

    private static readonly string[] Topics =
    [
        "Hours and holidays", "Parking and directions", "Our team", "New patients", "Insurance and billing", "Treatment guide", "Aftercare",
        "Community news", "Policies", "Accessibility", "Children's dentistry", "Cosmetic dentistry", "Emergencies", "Patient stories",
    ];

    /// <summary>Sentences that make each location's pages differ; {0} town, {1} dentist, {2} weekday, {3} number, {4} street.</summary>
    private static readonly string[] Sentences =
    [
        "The {0} office is open {2} from 8 am to {3} pm, and closes early on the day before a public holiday.",
        "{1} joined the {0} practice in 20{3} after a residency in restorative dentistry and speaks to every new patient personally.",
        "Street parking on {4} is free after 6 pm; the municipal lot behind the library charges {3} dollars for the day.",
        "From the {0} train station walk two blocks north on {4} and look for the blue awning next to the bakery.",
        "Our hygienists in {0} use ultrasonic scalers and polish with a flavour of your choice, including mint, cherry and bubblegum.",
        "On {2} mornings {1} reserves two emergency slots for patients in pain; call before 9 am to claim one.",
        "The {0} team collected {3} hundred toothbrushes for the school drive this spring and visited four classrooms.",
        "Please bring a photo ID, your insurance card and a list of medications to your first visit at {0}.",
        "If you need to cancel, give us at least a day's notice so another patient in {0} can take the slot.",
        "Every treatment room in {0} has a ceiling television, noise-cancelling headphones and a heated blanket on request.",
        "{1} explains each step before starting and you can raise your hand at any time to pause.",
        "Wheelchair users can enter {0} through the ramp on {4}; the elevator reaches every floor and the restroom is accessible.",
        "Children under 12 in {0} get a sticker, a new toothbrush and a two-minute timer after each visit.",
        "We send estimates by email within {3} business days and answer billing questions by phone on {2} afternoons.",
        "A patient from {0} wrote that {1} made her finally comfortable with the dentist after years of avoiding check-ups.",
        "The {0} office renovated its sterilization area last year and now processes every tray in a sealed cassette system.",
        "Our {0} lab partner fabricates crowns and night guards locally, which usually saves about {3} days of waiting.",
        "During snowstorms the {0} office posts closures on its website and texts every patient booked that day.",
        "Interpreters for Spanish, Portuguese and Polish can be booked at {0} with {3} days notice at no charge.",
        "The waiting room on {4} has a children's corner, free coffee and a charging station for phones.",
    ];

    private static readonly string[] Streets = ["Main Street", "Elm Avenue", "Park Place", "Washington Boulevard", "Church Road", "Mill Lane", "Broad Street", "Station Road"];

    private static async Task SeedChunksAsync(IDbContextFactory<PortalDbContext> factory, Guid tenantId, int count, IEmbeddingGenerator<string, Embedding<float>> embeddings)
    {
        var source = FaqCatalog.Generated;
        var model = PostgresKnowledgeBase.EmbeddingModelName(embeddings);
        var embedding = new Stopwatch();
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
                var town = Towns[round % Towns.Length];
                var heading = $"{town} office › {Topics[i % Topics.Length]}";
                var text = round == 0 ? a : $"{a} {LocationText(i, town)}";
                var chunk = new KnowledgeChunk
                {
                    TenantId = tenantId, DocumentId = doc.Id, Ordinal = i - start, Question = round == 0 || i % 5 == 0 ? q : null,
                    Heading = round == 0 ? null : heading, Text = text, TokenCount = KnowledgeChunk.EstimateTokens(text),
                };
                doc.Chunks.Add(chunk);
            }

            // One document's chunks per call, as the indexing job does.
            embedding.Start();
            var generated = await embeddings.GenerateAsync(doc.Chunks.Select(c => KnowledgeIndexer.EmbeddingText(new(c.Ordinal, c.Text, c.Heading, c.TokenCount, null, c.Question))).ToList());
            embedding.Stop();
            var n = 0;
            foreach (var chunk in doc.Chunks)
            {
                chunk.Embedding = generated[n++].Vector.ToArray();
                chunk.EmbeddingModel = model;
            }

            doc.ChunkCount = doc.Chunks.Count;
            db.KnowledgeDocuments.Add(doc);
            await db.SaveChangesAsync();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Embedding ({model}): {count} chunks in {embedding.Elapsed.TotalSeconds:F1} s = {count / embedding.Elapsed.TotalSeconds:F1} chunks/s; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
    }

    /// <summary>Four to eight location sentences (about 120 to 250 tokens of chunk in all), deterministic in <paramref name="i"/>.</summary>
    private static string LocationText(int i, string town)
    {
        var random = new Random(i);
        string[] days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
        var sentences = Enumerable.Range(0, 4 + random.Next(5)).Select(_ => string.Format(CultureInfo.InvariantCulture, Sentences[random.Next(Sentences.Length)],
            town, Dentists[random.Next(Dentists.Length)], days[random.Next(days.Length)], 2 + random.Next(20), Streets[random.Next(Streets.Length)]));
        return string.Join(' ', sentences.Distinct(StringComparer.Ordinal));
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
