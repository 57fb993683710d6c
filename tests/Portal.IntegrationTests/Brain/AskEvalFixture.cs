using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.Data;
using Portal.Data.Entities;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.Brain;

/// <summary>A seeded conversation as the eval's independent expectations read it (local times of America/New_York).</summary>
public sealed record SeedConversation(DateTime Local, Channel Channel, bool IsTest, ConversationOutcome Outcome, string? Phone, int DurationS, double? Sentiment, int? Lead, string[] Intents);

/// <summary>A seeded booking (local creation time).</summary>
public sealed record SeedBooking(DateTime Local, string Service, long Price, BookingStatus Status, string Phone);

/// <summary>
/// One database with two businesses: "Eval Dental", seeded with 700 conversations, their insights, bookings and messages
/// from a fixed random seed over Aug 1 – Dec 6 2026 (local), and "Intruder Dental" with its own rows that must never show.
/// The same data is kept in memory so the eval computes every expected answer without SQL.
/// </summary>
public sealed class AskEvalFixture : PortalAppFactory
{
    /// <summary>The date questions are asked on (a Sunday).</summary>
    public static readonly DateOnly Today = new(2026, 12, 6);

    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    public TestTenant Tenant { get; private set; } = default!;

    public TestTenant Intruder { get; private set; } = default!;

    public List<SeedConversation> Conversations { get; } = [];

    public List<SeedBooking> Bookings { get; } = [];

    public List<DateTime> Messages { get; } = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Tenant = await CreateTenantAsync("Eval Dental");
        Intruder = await CreateTenantAsync("Intruder Dental");
        await SeedAsync(Intruder, new Random(7), 150, keep: false);
        await SeedAsync(Tenant, new Random(42), 700, keep: true);
    }

    private async Task SeedAsync(TestTenant tenant, Random random, int count, bool keep)
    {
        ConversationOutcome[] outcomes = [ConversationOutcome.Booked, ConversationOutcome.Answered, ConversationOutcome.Abandoned, ConversationOutcome.MessageTaken, ConversationOutcome.Failed, ConversationOutcome.Transferred, ConversationOutcome.Answered];
        string[] intentPool = ["price", "hours", "services", "book", "location"];
        var phones = Enumerable.Range(0, 60).Select(i => $"+1212555{1000 + i}").ToArray();
        var start = new DateTime(2026, 8, 1);
        var fixups = new List<(string Table, Guid Id, DateTimeOffset At)>();
        await InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var services = await db.Services.AsNoTracking().ToListAsync();
            var slot = new DateTimeOffset(2027, 1, 4, 0, 0, 0, TimeSpan.Zero);
            for (int i = 0; i < count; i++)
            {
                var local = start.AddDays(random.Next(0, 128)).AddHours(random.Next(7, 22)).AddMinutes(random.Next(0, 60));
                var r = random.NextDouble();
                var channel = r < 0.6 ? Channel.Voice : r < 0.9 ? Channel.WebChat : Channel.Test;
                var outcome = outcomes[random.Next(outcomes.Length)];
                string? phone = random.NextDouble() < 0.85 ? phones[(int)Math.Floor(Math.Pow(random.NextDouble(), 2) * phones.Length)] : null;
                int duration = random.Next(20, 600);
                bool analysed = random.NextDouble() < 0.8;
                double? sentiment = analysed ? Math.Round(random.Next(-10, 11) / 10.0, 1) : null;
                int? lead = analysed ? random.Next(0, 101) : null;
                string[] intents = analysed ? intentPool.Where(_ => random.NextDouble() < 0.3).ToArray() : [];
                var startedUtc = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, Zone));
                var conversation = new Conversation
                {
                    TenantId = tenant.TenantId, AgentPersonaId = tenant.AgentId, Channel = channel, IsTest = channel == Channel.Test,
                    StartedAt = startedUtc, EndedAt = startedUtc.AddSeconds(duration), Outcome = outcome, CustomerPhone = phone,
                    DurationSeconds = channel == Channel.Voice ? duration : null, TurnCount = 4,
                };
                db.Conversations.Add(conversation);
                if (analysed)
                {
                    db.ConversationInsights.Add(new ConversationInsight
                    {
                        TenantId = tenant.TenantId, ConversationId = conversation.Id, Summary = "seed", Sentiment = sentiment!.Value,
                        LeadScore = lead!.Value, Intents = [.. intents], Outcome = outcome, AnalyzedAt = startedUtc,
                    });
                }

                if (keep)
                {
                    Conversations.Add(new SeedConversation(local, channel, channel == Channel.Test, outcome, phone, duration, sentiment, lead, intents));
                }

                if (outcome == ConversationOutcome.Booked && channel != Channel.Test)
                {
                    var service = services[random.Next(services.Count)];
                    var status = random.NextDouble() < 0.15 ? BookingStatus.Cancelled : BookingStatus.Confirmed;
                    var booking = new Booking
                    {
                        TenantId = tenant.TenantId, ServiceId = service.Id, ConversationId = conversation.Id, StartUtc = slot, EndUtc = slot.AddMinutes(30),
                        CustomerName = "Seed", CustomerPhone = phone ?? "+12125550000", Status = status, PriceCents = service.PriceCents ?? 5000,
                    };
                    slot = slot.AddHours(1);
                    db.Bookings.Add(booking);
                    fixups.Add(("bookings", booking.Id, startedUtc));
                    if (keep)
                    {
                        Bookings.Add(new SeedBooking(local, service.Name, booking.PriceCents!.Value, status, booking.CustomerPhone));
                    }
                }

                if (outcome == ConversationOutcome.MessageTaken)
                {
                    var message = new CallerMessage { TenantId = tenant.TenantId, ConversationId = conversation.Id, Body = "Call me back", CallerPhone = phone };
                    db.CallerMessages.Add(message);
                    fixups.Add(("caller_messages", message.Id, startedUtc));
                    if (keep)
                    {
                        Messages.Add(local);
                    }
                }
            }

            return await db.SaveChangesAsync();
        });

        // Creation times are stamped by the audit interceptor; the seed backdates them to when the conversation happened.
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var batch = new NpgsqlBatch(connection);
        foreach (var (table, id, at) in fixups)
        {
            var command = new NpgsqlBatchCommand($"UPDATE {table} SET created_at = @at WHERE id = @id");
            command.Parameters.AddWithValue("at", at);
            command.Parameters.AddWithValue("id", id);
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync();
    }
}
