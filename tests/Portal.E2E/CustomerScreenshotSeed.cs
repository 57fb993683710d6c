using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.E2E;

/// <summary>
/// Realistic customers over the analytics seed: a name (and for some an email) for every number that called or chatted,
/// their conversations and bookings linked, and one well-known customer with a full history across every channel.
/// </summary>
internal static class CustomerScreenshotSeed
{
    private static readonly string[] First = ["Jamie", "Priya", "Marcus", "Elena", "Tom", "Aisha", "Daniel", "Sofia", "Kevin", "Grace", "Luis", "Hannah", "Omar", "Chloe", "Ben", "Maya", "Ryan", "Nina", "Carlos", "Zoe"];
    private static readonly string[] Last = ["Rivera", "Shah", "Bennett", "Kowalski", "Nguyen", "Okafor", "Murphy", "Rossi", "Park", "Lindqvist", "Garcia", "Brooks", "Haddad", "Dubois", "Foster", "Patel", "Walsh", "Moreno", "Kim", "Turner"];

    /// <summary>Realistic summaries by outcome, as the insight job writes them.</summary>
    public static string Summary(ConversationOutcome outcome, int seed) => outcome switch
    {
        ConversationOutcome.Booked => seed % 2 == 0 ? "Asked for a cleaning this week and booked the first morning slot offered." : "New patient asked about whitening prices, then booked a consultation.",
        ConversationOutcome.MessageTaken => "Wanted to speak to Dr. Patel about a crown; left a message asking for a call back.",
        ConversationOutcome.Abandoned => "Hung up after the greeting before saying what they needed.",
        _ => seed % 2 == 0 ? "Asked about opening hours on Saturday and whether parking is available." : "Asked if the practice accepts Delta Dental insurance; it does.",
    };

    /// <summary>Creates the customers and returns the id of the well-known one ("Jamie Rivera").</summary>
    public static async Task<Guid> SeedAsync(PortalDbContext db, Guid tenantId, Guid agentId)
    {
        var conversations = await db.Conversations.Where(c => c.CustomerPhone != null).ToListAsync();
        var bookings = await db.Bookings.ToListAsync();
        var now = DateTimeOffset.UtcNow;
        var index = 1;
        foreach (var group in conversations.GroupBy(c => c.CustomerPhone!).OrderByDescending(g => g.Max(c => c.StartedAt)))
        {
            var name = $"{First[index % First.Length]} {Last[((index / First.Length) + (index * 7)) % Last.Length]}"; // distinct for 400 numbers
            var customer = new Customer
            {
                TenantId = tenantId, Name = index % 6 == 5 ? null : name, Phone = group.Key,
                Email = index % 3 == 0 ? $"{name.Replace(' ', '.').ToLowerInvariant()}@example.com" : null,
                FirstContactAt = group.Min(c => c.StartedAt), LastContactAt = group.Max(c => c.StartedAt),
            };
            db.Customers.Add(customer);
            foreach (var c in group)
            {
                c.CustomerId = customer.Id;
                c.CustomerName = customer.Name;
            }

            foreach (var b in bookings.Where(b => b.CustomerPhone == group.Key))
            {
                b.CustomerId = customer.Id;
                b.CustomerName = customer.Name ?? "Unknown";
            }

            index++;
        }

        var service = await db.Services.OrderBy(s => s.Name).FirstAsync(s => s.PriceCents != null);
        var jamie = new Customer
        {
            TenantId = tenantId, Name = "Jamie Rivera", Phone = "+12125550187", Email = "jamie.rivera@example.com",
            Notes = "Prefers early mornings. A little nervous about injections, so explain each step. Daughter Mia is also a patient.",
            FirstContactAt = now.AddDays(-26), LastContactAt = now.AddHours(-3),
        };
        db.Customers.Add(jamie);
        Conversation Talk(Channel channel, TimeSpan ago, ConversationOutcome outcome, int minutes) => new()
        {
            TenantId = tenantId, AgentPersonaId = agentId, Channel = channel, StartedAt = now - ago, EndedAt = now - ago + TimeSpan.FromMinutes(minutes), Outcome = outcome,
            CustomerName = "Jamie Rivera", CustomerPhone = jamie.Phone, CustomerId = jamie.Id, TurnCount = 8, DurationSeconds = channel == Channel.Voice ? minutes * 60 : null,
        };
        var firstCall = Talk(Channel.Voice, TimeSpan.FromDays(26), ConversationOutcome.MessageTaken, 3);
        var chat = Talk(Channel.WebChat, TimeSpan.FromDays(12), ConversationOutcome.Booked, 6);
        var text = Talk(Channel.Sms, TimeSpan.FromDays(2), ConversationOutcome.Answered, 4);
        var lastCall = Talk(Channel.Voice, TimeSpan.FromHours(3), ConversationOutcome.Answered, 2);
        db.Conversations.AddRange(firstCall, chat, text, lastCall);
        void Insight(Conversation c, string summary, int lead, params string[] reasons) => db.ConversationInsights.Add(new ConversationInsight
        {
            TenantId = tenantId, ConversationId = c.Id, Summary = summary, Outcome = c.Outcome, LeadScore = lead, LeadReasons = [.. reasons], Sentiment = 0.4, AnalyzedAt = c.EndedAt!.Value.AddMinutes(1),
        });
        Insight(firstCall, "New caller asked whether the practice sees nervous patients and what a first exam costs; left a message for Dr. Patel.", 45, "Asked about prices (+15)", "Wants a callback (+20)", "New caller (+10)");
        Insight(chat, "Came back on the website chat and booked a cleaning and exam; asked to be seen before work.", 90, "Booked (+40)", "Asked about prices (+15)", "Existing customer (+20)", "Positive sentiment (+15)");
        Insight(text, "Texted to check whether the practice takes Delta Dental; the agent confirmed it does.", 60, "Existing customer (+20)", "Upcoming booking (+25)", "Asked about insurance (+15)");
        Insight(lastCall, "Returning caller, welcomed back by name, asked when their appointment is and was told the day and time.", 75, "Existing customer (+20)", "Upcoming booking (+25)", "Positive sentiment (+15)", "Answered quickly (+15)");
        var upcoming = now.Date.AddDays(5).AddHours(13);
        db.Bookings.Add(new Booking
        {
            TenantId = tenantId, ServiceId = service.Id, ConversationId = chat.Id, CustomerId = jamie.Id, StartUtc = new DateTimeOffset(upcoming, TimeSpan.Zero),
            EndUtc = new DateTimeOffset(upcoming, TimeSpan.Zero).AddMinutes(service.DurationMinutes), CustomerName = "Jamie Rivera", CustomerPhone = jamie.Phone, PriceCents = service.PriceCents,
            Notes = "Prefers early mornings",
        });
        var message = new CallerMessage { TenantId = tenantId, ConversationId = firstCall.Id, CallerName = "Jamie Rivera", CallerPhone = jamie.Phone, Body = "Could Dr. Patel call me about a first visit? I'm a bit nervous about dental work.", Status = MessageStatus.Handled };
        db.CallerMessages.Add(message);
        await db.SaveChangesAsync();
        // Stamped by the audit interceptor on insert; the message was taken during the first call.
        var takenAt = firstCall.StartedAt.AddMinutes(2);
        await db.CallerMessages.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.CreatedAt, takenAt));
        return jamie.Id;
    }
}
