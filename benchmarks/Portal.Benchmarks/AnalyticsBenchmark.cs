using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain;
using Portal.Domain.Audit;
using Portal.Domain.Brain.Analytics;
using Portal.Domain.Brain.Ask;
using Portal.Domain.Onboarding;
using Portal.Domain.Tenancy;

namespace Portal.Benchmarks;

/// <summary>
/// <c>--analytics-bench [--conversations 100000] [--iterations 20]</c>: generates N conversations for one business over the
/// past year in a fresh database (a caller and an agent turn each, an insight for 80 %, a booking for the booked ones, a message for those that took one) plus
/// 20,000 for a second business, then times what the analytics page runs per load (<see cref="AnalyticsService.GetAsync"/>:
/// one batch of every figure) for several ranges, and "ask your data" (<see cref="AskService.AskAsync(string, CancellationToken)"/>)
/// over a set of questions. Target: ask p95 under 200 ms.
/// </summary>
public static class AnalyticsBenchmark
{
    private const string DefaultAdmin = "Host=127.0.0.1;Port=5432;Username=portal;Password=portal;Database=postgres";

    private static readonly string[] Questions =
    [
        "How many calls did we miss last week?", "Bookings by service this month", "Which hour gets the most calls?",
        "Callers who asked about prices but didn't book", "Average sentiment on Mondays", "Revenue booked in November vs October",
        "Who called more than twice?", "How many chats this year?", "Booking rate by channel last 90 days", "Average handle time this month",
        "how many messages did people leave last week", "messages by weekday this month", "cancelled bookings this year",
    ];

    /// <summary>Runs the benchmark; returns the process exit code (1 when the ask p95 target is missed).</summary>
    /// <param name="conversations">Conversations of the measured business.</param>
    /// <param name="iterations">Runs per case after 3 warm-up runs.</param>
    /// <param name="reuse">An existing database seeded by an earlier run (e.g. restored from a dump): migrated, not seeded, kept.</param>
    public static async Task<int> RunAsync(int conversations, int iterations, string? reuse = null)
    {
        var admin = Environment.GetEnvironmentVariable("PORTAL_TEST_PG") is { Length: > 0 } env ? env : DefaultAdmin;
        var database = reuse ?? $"portal_analytics_{Guid.NewGuid():N}"[..30];
        if (reuse is null)
        {
            await ExecuteAsync(admin, $"CREATE DATABASE \"{database}\"");
            Console.WriteLine($"Database {database} created.");
        }
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddPortalDomain(connectionString);
            services.AddScoped<ICurrentUser, NobodySignedIn>();
            await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
            await using (var scope = provider.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Database.MigrateAsync();
            }

            var seed = Stopwatch.StartNew();
            if (reuse is not null)
            {
                await using var scope = provider.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
                var existing = await db.Tenants.IgnoreQueryFilters().Where(t => t.Name == "Bench Dental").Select(t => t.Id).SingleAsync();
                conversations = await db.Conversations.IgnoreQueryFilters().CountAsync(c => c.TenantId == existing);
                await ExecuteAsync(connectionString, "ANALYZE");
                Console.WriteLine(F($"Reusing {database}: {conversations} conversations in the measured business."));
                return await MeasureAsync(provider, existing, conversations, iterations);
            }

            var tenantId = await SeedAsync(provider, "Bench Dental", conversations, 42);
            await SeedAsync(provider, "Bench Neighbour", Math.Min(20_000, conversations), 7);
            // The audit interceptor stamps created_at with the seeding time; a booking or message is made during its conversation.
            await ExecuteAsync(connectionString, """
                UPDATE bookings b SET created_at = c.started_at FROM conversations c WHERE b.conversation_id = c.id;
                UPDATE caller_messages m SET created_at = c.started_at FROM conversations c WHERE m.conversation_id = c.id;
                ANALYZE;
                """);
            Console.WriteLine(F($"Seeded {conversations} conversations (+ a second business) in {seed.Elapsed.TotalSeconds:F1} s."));
            return await MeasureAsync(provider, tenantId, conversations, iterations);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            if (reuse is null)
            {
                await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
                Console.WriteLine($"Database {database} dropped.");
            }
        }
    }

    private static async Task<int> MeasureAsync(IServiceProvider provider, Guid tenantId, int conversations, int iterations)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        (string Name, AnalyticsQuery Query)[] cases =
        [
            ("last 30 days", new AnalyticsQuery(today.AddDays(-29), today)),
            ("last 90 days", new AnalyticsQuery(today.AddDays(-89), today)),
            ("last 12 months (all)", new AnalyticsQuery(today.AddDays(-364), today)),
            ("last 90 days, calls only", new AnalyticsQuery(today.AddDays(-89), today, Channel.Voice)),
        ];
        Console.WriteLine();
        Console.WriteLine(F($"AnalyticsService.GetAsync (every figure of the page, one round trip), {conversations} conversations, {iterations} runs per case after 3 warm-up"));
        Console.WriteLine();
        Console.WriteLine("| range | conversations in range | mean ms | p50 ms | p95 ms | max ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, query) in cases)
        {
            int inRange = 0;
            var s = await TimeAsync(provider, tenantId, iterations, async sp => inRange = (await sp.GetRequiredService<AnalyticsService>().GetAsync(query, CancellationToken.None)).Summary.Conversations);
            Console.WriteLine(F($"| {name} | {inRange} | {s.Mean:F1} | {s.P50:F1} | {s.P95:F1} | {s.Max:F1} |"));
        }

        Console.WriteLine();
        Console.WriteLine(F($"AskService.AskAsync (question → plan → SQL → answer), {Questions.Length} questions × {iterations} runs after 3 warm-up"));
        Console.WriteLine();
        Console.WriteLine("| question | answered | mean ms | p50 ms | p95 ms | max ms |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        var all = new List<double>();
        foreach (var question in Questions)
        {
            bool answered = false;
            var s = await TimeAsync(provider, tenantId, iterations, async sp => answered = (await sp.GetRequiredService<AskService>().AskAsync(question, CancellationToken.None)).Answered, all);
            Console.WriteLine(F($"| {question} | {(answered ? "yes" : "no")} | {s.Mean:F1} | {s.P50:F1} | {s.P95:F1} | {s.Max:F1} |"));
        }

        var overall = LatencyStats.Of(all);
        Console.WriteLine(F($"| **all questions** | | {overall.Mean:F1} | {overall.P50:F1} | **{overall.P95:F1}** | {overall.Max:F1} |"));
        Console.WriteLine();
        Console.WriteLine(F($"ask p95 target 200 ms: {(overall.P95 < 200 ? "met" : "MISSED")} (p95 = {overall.P95:F1} ms)."));
        return overall.P95 < 200 ? 0 : 1;
    }

    private static async Task<LatencyStats> TimeAsync(IServiceProvider provider, Guid tenantId, int iterations, Func<IServiceProvider, Task> run, List<double>? all = null)
    {
        var samples = new List<double>();
        for (var i = 0; i < iterations + 3; i++)
        {
            await using var scope = provider.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(tenantId);
            var watch = Stopwatch.StartNew();
            await run(scope.ServiceProvider);
            watch.Stop();
            if (i >= 3)
            {
                samples.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        all?.AddRange(samples);
        return LatencyStats.Of(samples);
    }

    /// <summary>A business from the dental template with <paramref name="count"/> conversations over the past 365 days.</summary>
    private static async Task<Guid> SeedAsync(IServiceProvider provider, string name, int count, int seed)
    {
        Guid tenantId;
        await using (var scope = provider.CreateAsyncScope())
        {
            tenantId = await scope.ServiceProvider.GetRequiredService<TenantProvisioner>().CreateAsync(
                new BusinessDetails(name, Industry.Dental, "America/New_York", "+12125550188", "1 Bench Plaza, New York, NY"), null, null, CancellationToken.None);
        }

        await using var seedScope = provider.CreateAsyncScope();
        seedScope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(tenantId);
        var factory = seedScope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        Guid agentId;
        List<Service> services;
        await using (var db = await factory.CreateDbContextAsync())
        {
            agentId = await db.AgentPersonas.Select(a => a.Id).FirstAsync();
            services = await db.Services.AsNoTracking().ToListAsync();
        }

        var random = new Random(seed);
        ConversationOutcome[] outcomes = [ConversationOutcome.Booked, ConversationOutcome.Answered, ConversationOutcome.Abandoned, ConversationOutcome.MessageTaken, ConversationOutcome.Answered, ConversationOutcome.Transferred];
        string[] intents = ["book", "price", "services", "hours", "location"];
        var now = DateTimeOffset.UtcNow;
        var slot = now.AddDays(400);
        for (var start = 0; start < count; start += 2000)
        {
            await using var db = await factory.CreateDbContextAsync();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = start; i < Math.Min(count, start + 2000); i++)
            {
                var at = now.AddSeconds(-random.Next(0, 365 * 24 * 3600));
                var outcome = outcomes[random.Next(outcomes.Length)];
                var channel = random.NextDouble() < 0.6 ? Channel.Voice : Channel.WebChat;
                int duration = random.Next(15, 600);
                var conversation = new Conversation
                {
                    TenantId = tenantId, AgentPersonaId = agentId, Channel = channel, StartedAt = at, EndedAt = at.AddSeconds(duration), Outcome = outcome,
                    DurationSeconds = channel == Channel.Voice ? duration : null, CustomerPhone = F($"+1212555{random.Next(0, 10_000):0000}"), TurnCount = 2,
                };
                db.Conversations.Add(conversation);
                db.Turns.Add(new Turn { TenantId = tenantId, ConversationId = conversation.Id, Sequence = 0, Speaker = Speaker.Customer, Text = "Hi, I'd like to book", Intent = "Book", StartedAt = at, CompletedAt = at.AddSeconds(2) });
                db.Turns.Add(new Turn { TenantId = tenantId, ConversationId = conversation.Id, Sequence = 1, Speaker = Speaker.Agent, Text = "Sure.", LatencyMs = random.Next(20, 900), StartedAt = at.AddSeconds(2), CompletedAt = at.AddSeconds(4) });
                if (random.NextDouble() < 0.8)
                {
                    db.ConversationInsights.Add(new ConversationInsight
                    {
                        TenantId = tenantId, ConversationId = conversation.Id, Summary = "bench", Outcome = outcome, AnalyzedAt = at,
                        Sentiment = random.Next(-10, 11) / 10.0, LeadScore = random.Next(0, 101), Intents = [.. intents.Where(_ => random.NextDouble() < 0.3)],
                    });
                }

                if (outcome == ConversationOutcome.Booked)
                {
                    var service = services[random.Next(services.Count)];
                    db.Bookings.Add(new Booking
                    {
                        TenantId = tenantId, ServiceId = service.Id, ConversationId = conversation.Id, StartUtc = slot, EndUtc = slot.AddMinutes(30),
                        CustomerName = "Bench", CustomerPhone = conversation.CustomerPhone, PriceCents = service.PriceCents,
                    });
                    slot = slot.AddHours(1);
                }

                if (outcome == ConversationOutcome.MessageTaken)
                {
                    db.CallerMessages.Add(new CallerMessage
                    {
                        TenantId = tenantId, ConversationId = conversation.Id, CallerName = "Bench", CallerPhone = conversation.CustomerPhone,
                        Body = "Please call me back about a cleaning.", Status = random.NextDouble() < 0.5 ? MessageStatus.New : MessageStatus.Handled,
                    });
                }
            }

            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync();
        }

        return tenantId;
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The benchmark only reads and seeds; nobody is signed in.</summary>
    private sealed class NobodySignedIn : ICurrentUser
    {
        public Task<Actor?> GetAsync(CancellationToken cancellationToken) => Task.FromResult<Actor?>(null);
    }
}
