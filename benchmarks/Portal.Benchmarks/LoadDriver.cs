using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Identity;
using Portal.Data.Tenancy;
using Portal.Domain;
using Portal.Domain.Conversations;
using Portal.Domain.Seeding;
using Portal.Domain.Tenancy;
using Portal.Rag;

namespace Portal.Benchmarks;

/// <summary>Options of the load driver.</summary>
/// <param name="Conversations">Measured conversations.</param>
/// <param name="Warmup">Unmeasured warm-up conversations run first.</param>
/// <param name="Concurrency">Conversations in flight at once (each in its own DI scope).</param>
/// <param name="Faqs">FAQs the demo tenant is grown to.</param>
/// <param name="DbStats">Count database commands per turn.</param>
/// <param name="Verbose">Print the first measured conversation's transcript.</param>
public sealed record LoadOptions(int Conversations, int Warmup, int Concurrency, int Faqs, bool DbStats, bool Verbose);

/// <summary>One measured turn.</summary>
/// <param name="Family">Scripted intent family.</param>
/// <param name="Ms">Wall time of <see cref="ConversationService.ProcessTurnAsync"/>, ms.</param>
/// <param name="Db">Database commands of the turn (with <c>--db-stats</c>).</param>
public sealed record TurnSample(string Family, double Ms, CommandCounter? Db);

/// <summary>
/// Drives scripted conversations through <see cref="ConversationService"/> against a fresh
/// PostgreSQL database seeded with the demo tenant grown to N FAQs, and reports per-turn latency.
/// </summary>
public static class LoadDriver
{
    private const string DefaultAdmin = "Host=127.0.0.1;Port=5432;Username=portal;Password=portal;Database=postgres";

    /// <summary>Runs the driver; returns the process exit code.</summary>
    public static async Task<int> RunAsync(LoadOptions options)
    {
        var admin = Environment.GetEnvironmentVariable("PORTAL_TEST_PG") is { Length: > 0 } env ? env : DefaultAdmin;
        var database = $"portal_bench_{Guid.NewGuid():N}"[..25];
        await ExecuteAsync(admin, $"CREATE DATABASE \"{database}\"");
        Console.WriteLine($"Database {database} created.");
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
            return await RunOnAsync(connectionString, options);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
            Console.WriteLine($"Database {database} dropped.");
        }
    }

    private static async Task<int> RunOnAsync(string connectionString, LoadOptions options)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPortalDomain(connectionString);
        services.AddPortalRag();
        services.AddIdentityCore<PortalUser>().AddRoles<IdentityRole<Guid>>().AddEntityFrameworkStores<PortalDbContext>();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

        var setup = Stopwatch.StartNew();
        var (tenantId, faqs, todayLocal) = await PrepareTenantAsync(provider, options.Faqs);
        Console.WriteLine($"Seeded {DemoSeeder.DemoBusinessName} with {faqs.Count} FAQs in {setup.Elapsed.TotalSeconds:F1} s.");

        var scripts = ConversationScripts.Build(options.Warmup + options.Conversations, todayLocal, faqs);
        using var probe = options.DbStats ? DbCommandProbe.Start() : null;

        await RunBatchAsync(provider, tenantId, scripts.Take(options.Warmup).ToList(), options.Concurrency, verbose: false);
        var measured = scripts.Skip(options.Warmup).ToList();
        var wall = Stopwatch.StartNew();
        var run = await RunBatchAsync(provider, tenantId, measured, options.Concurrency, options.Verbose);
        wall.Stop();

        Report.Print(options, run, measured, wall.Elapsed);
        return 0;
    }

    private static async Task<(Guid TenantId, List<(string Question, string Answer)> Faqs, DateOnly TodayLocal)> PrepareTenantAsync(IServiceProvider provider, int faqCount)
    {
        await using (var scope = provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(includeDemo: true, CancellationToken.None);
        }

        await using var faqScope = provider.CreateAsyncScope();
        var db = faqScope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var tenant = await db.Tenants.IgnoreQueryFilters().AsNoTracking().SingleAsync(t => t.Name == DemoSeeder.DemoBusinessName);
        faqScope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(tenant.Id);
        var existing = await db.KnowledgeDocuments.Where(k => k.Kind == KnowledgeKind.Faq).Select(k => new { k.Title }).ToListAsync();
        foreach (var (q, a) in FaqCatalog.Take(faqCount - existing.Count, existing.Select(e => e.Title)))
        {
            db.KnowledgeDocuments.Add(KnowledgeDocument.NewFaq(tenant.Id, q, a));
        }

        await db.SaveChangesAsync();
        var all = await db.KnowledgeChunks.Where(c => c.Question != null).OrderBy(c => c.Question).Select(c => new { Title = c.Question!, Content = c.Text }).ToListAsync();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(tenant.TimeZoneId);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, zone));
        return (tenant.Id, all.Select(f => (f.Title, f.Content)).ToList(), today);
    }

    /// <summary>Result of a batch: samples, and sanity counters that show the scripts did what they meant to.</summary>
    public sealed class BatchResult
    {
        /// <summary>Measured turns.</summary>
        public ConcurrentBag<TurnSample> Samples { get; } = [];

        /// <summary>Conversations that ended Booked.</summary>
        internal int Booked;

        /// <summary>FAQ turns whose reply was the expected FAQ answer.</summary>
        internal int FaqHits;

        /// <summary>Question turns the engine classified as intent None.</summary>
        internal int NotUnderstood;

        /// <summary>Anomalous transcripts printed so far.</summary>
        internal int PrintedAnomalies;
    }

    private static async Task<BatchResult> RunBatchAsync(IServiceProvider provider, Guid tenantId, List<ConversationScript> scripts, int concurrency, bool verbose)
    {
        var result = new BatchResult();
        var next = -1;
        var workers = Enumerable.Range(0, Math.Max(1, concurrency)).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < scripts.Count)
            {
                await RunConversationAsync(provider, tenantId, scripts[index], result, verbose, first: index == 0);
            }
        });
        await Task.WhenAll(workers);
        return result;
    }

    private static async Task RunConversationAsync(IServiceProvider provider, Guid tenantId, ConversationScript script, BatchResult result, bool verbose, bool first)
    {
        await using var scope = provider.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(tenantId);
        var conversations = scope.ServiceProvider.GetRequiredService<ConversationService>();
        var started = await conversations.StartAsync(Channel.WebChat, null, CancellationToken.None);
        var transcript = new StringBuilder().AppendLine(CultureInfo.InvariantCulture, $"  agent: {started.Greeting}");
        var anomaly = false;
        TurnResult? last = null;
        foreach (var turn in script.Turns)
        {
            var counter = DbCommandProbe.Current = new CommandCounter();
            var t0 = Stopwatch.GetTimestamp();
            last = await conversations.ProcessTurnAsync(started.ConversationId, turn.Text, CancellationToken.None);
            var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            DbCommandProbe.Current = null;
            result.Samples.Add(new TurnSample(turn.Family, ms, counter.Commands > 0 ? counter : null));
            if (turn.ExpectedAnswer is { } expected)
            {
                var hit = last.Reply.Contains(expected, StringComparison.Ordinal);
                anomaly |= !hit;
                Interlocked.Add(ref result.FaqHits, hit ? 1 : 0);
            }

            // Name, phone and confirmation answers are slot fills: intent None is expected there.
            if (last.Intent == "None" && turn.Family is not ("name" or "phone" or "confirm"))
            {
                anomaly = true;
                Interlocked.Increment(ref result.NotUnderstood);
            }

            transcript.AppendLine(CultureInfo.InvariantCulture, $"  caller [{turn.Family}]: {turn.Text}\n  agent ({ms:F2} ms, {last.Intent}): {last.Reply}");
            if (last.Ended)
            {
                break;
            }
        }

        if (last is { Ended: false })
        {
            await conversations.EndAsync(started.ConversationId, CancellationToken.None);
        }

        var booked = last?.Outcome == ConversationOutcome.Booked;
        Interlocked.Add(ref result.Booked, booked ? 1 : 0);
        anomaly |= script.Books != booked;
        // --verbose: the first transcript, and up to five that did not go as scripted.
        if (verbose && (first || (anomaly && Interlocked.Increment(ref result.PrintedAnomalies) <= 5)))
        {
            Console.WriteLine(first ? "First conversation:" : "Conversation that did not go as scripted:");
            Console.Write(transcript.ToString());
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
