using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Seeding;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.Brain;

/// <summary>
/// One database with two businesses seeded from fixed random seeds over Oct 20 – Dec 6 2026: "Analytics Dental"
/// (America/New_York, 360 conversations) and "Other Dental" (moved to America/Los_Angeles, 160 conversations). Each
/// conversation gets turns (caller intents, agent reply latencies), most an insight (intents, sentiment), booked ones a
/// booking (some at the service's price, some cancelled), a dialogue state with or without offered slots; the first has a
/// closed date, both have open and resolved knowledge gaps. Owner and admin clients are signed in.
/// </summary>
public sealed class AnalyticsFixture : PortalAppFactory
{
    public TestTenant Tenant { get; private set; } = default!;

    public TestTenant Other { get; private set; } = default!;

    public HttpClient OwnerClient { get; private set; } = default!;

    public HttpClient AdminClient { get; private set; } = default!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Tenant = await CreateTenantAsync("Analytics Dental");
        Other = await CreateTenantAsync("Other Dental");
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var zone = new NpgsqlCommand("UPDATE tenants SET time_zone_id = 'America/Los_Angeles' WHERE id = @id", connection);
            zone.Parameters.AddWithValue("id", Other.TenantId);
            await zone.ExecuteNonQueryAsync();
        }

        await SeedAsync(Tenant, new Random(11), 360, "America/New_York");
        await SeedAsync(Other, new Random(23), 160, "America/Los_Angeles");
        OwnerClient = await SignInAsync(Tenant.Email, Tenant.Password);
        AdminClient = await SignInAsync(DemoSeeder.AdminEmail, DemoSeeder.DemoPassword);
    }

    private Task SeedAsync(TestTenant tenant, Random random, int count, string zoneId) => InTenantAsync(tenant.TenantId, async sp =>
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        ConversationOutcome[] outcomes = [ConversationOutcome.Booked, ConversationOutcome.Answered, ConversationOutcome.Abandoned, ConversationOutcome.MessageTaken,
            ConversationOutcome.Failed, ConversationOutcome.Transferred, ConversationOutcome.Booked, ConversationOutcome.InProgress];
        string?[] callerIntents = ["Book", "Services", "Hours", "Reschedule", "Location", null];
        string[] insightIntents = ["book", "price", "services", "hours", "location", "message"];
        await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var services = await db.Services.AsNoTracking().ToListAsync();
        var slot = new DateTimeOffset(2027, 2, 1, 0, 0, 0, TimeSpan.Zero);
        var start = new DateTime(2026, 10, 20);
        for (int i = 0; i < count; i++)
        {
            var local = start.AddDays(random.Next(0, 48)).AddHours(random.Next(0, 24)).AddMinutes(random.Next(0, 60)).AddSeconds(random.Next(0, 60));
            var startedUtc = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone));
            var r = random.NextDouble();
            var channel = r < 0.55 ? Channel.Voice : r < 0.8 ? Channel.WebChat : r < 0.9 ? Channel.Sms : Channel.Test;
            var outcome = outcomes[random.Next(outcomes.Length)];
            int duration = random.Next(5, 900);
            bool ended = outcome != ConversationOutcome.InProgress;
            string state = random.Next(4) switch
            {
                0 => """{"offered":["2026-12-01T09:00:00","2026-12-01T10:00:00"]}""",
                1 => """{"offered":[],"proposedStart":"2026-12-02T11:00:00"}""",
                _ => """{"offered":[]}""",
            };
            var conversation = new Conversation
            {
                TenantId = tenant.TenantId, AgentPersonaId = tenant.AgentId, Channel = channel, IsTest = channel == Channel.Test,
                StartedAt = startedUtc, EndedAt = ended ? startedUtc.AddSeconds(duration) : null, Outcome = outcome, State = state,
                DurationSeconds = channel == Channel.Voice && ended && random.NextDouble() < 0.7 ? duration : null,
                CustomerPhone = $"+1212555{random.Next(1000, 1100)}",
            };
            db.Conversations.Add(conversation);
            int turns = random.Next(0, 4) * 2;
            for (int t = 0; t < turns; t++)
            {
                bool agent = t % 2 == 1;
                db.Turns.Add(new Turn
                {
                    TenantId = tenant.TenantId, ConversationId = conversation.Id, Sequence = t, Speaker = agent ? Speaker.Agent : Speaker.Customer,
                    Text = agent ? "Sure." : "Hello", StartedAt = startedUtc.AddSeconds(t), CompletedAt = startedUtc.AddSeconds(t + 1),
                    Intent = agent ? null : callerIntents[random.Next(callerIntents.Length)],
                    LatencyMs = agent && random.NextDouble() < 0.9 ? random.Next(40, 2500) : null,
                });
            }

            conversation.TurnCount = turns;
            if (random.NextDouble() < 0.8)
            {
                db.ConversationInsights.Add(new ConversationInsight
                {
                    TenantId = tenant.TenantId, ConversationId = conversation.Id, Summary = "seed", Outcome = outcome, AnalyzedAt = startedUtc,
                    Sentiment = Math.Round(random.Next(-100, 101) / 100.0, 2), LeadScore = random.Next(0, 101),
                    Intents = [.. insightIntents.Where(_ => random.NextDouble() < 0.3)],
                });
            }

            if (outcome == ConversationOutcome.Booked && channel != Channel.Test)
            {
                var service = services[random.Next(services.Count)];
                db.Bookings.Add(new Booking
                {
                    TenantId = tenant.TenantId, ServiceId = service.Id, ConversationId = conversation.Id, StartUtc = slot, EndUtc = slot.AddMinutes(30),
                    CustomerName = "Seed", CustomerPhone = conversation.CustomerPhone!,
                    Status = random.NextDouble() < 0.2 ? BookingStatus.Cancelled : BookingStatus.Confirmed,
                    PriceCents = random.NextDouble() < 0.5 ? random.Next(20, 400) * 100 : null,
                });
                slot = slot.AddHours(1);
            }
        }

        db.ClosedDates.Add(new ClosedDate { TenantId = tenant.TenantId, Date = new DateOnly(2026, 11, 12), Reason = "Staff training" });
        for (int g = 0; g < 14; g++)
        {
            var asked = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(start.AddDays(random.Next(0, 48)).AddHours(random.Next(0, 24)), zone));
            db.KnowledgeGaps.Add(new KnowledgeGap
            {
                TenantId = tenant.TenantId, NormalizedQuestion = $"{tenant.Name} question {g}", ExampleQuestion = g == 0 ? "=HYPERLINK(\"x\") do you take, insurance?" : $"{tenant.Name} question {g}?",
                Count = g == 0 ? 99 : random.Next(1, 30), LastAskedAt = asked, Resolved = g % 5 == 4,
            });
        }

        return await db.SaveChangesAsync();
    });
}
