using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests;

/// <summary>
/// Every owner page that shows a time shows it on the business's wall clock (a tenant in Honolulu, UTC-10 all year,
/// so the UTC and the local text always differ), as rendered by the server (prerendered HTML).
/// </summary>
public sealed partial class TenantTimeRenderingTests(PortalAppFactory app) : IClassFixture<PortalAppFactory>
{
    private const string Zone = "Pacific/Honolulu";
    private static readonly CultureInfo En = CultureInfo.GetCultureInfo("en-US");
    private static readonly TimeZoneInfo Honolulu = TimeZoneInfo.FindSystemTimeZoneById(Zone);

    private sealed record Seeded(TestTenant Tenant, Guid ConversationId, DateTimeOffset ConversationAt, DateTimeOffset BookingAt, DateTimeOffset GapAt);

    private async Task<Seeded> SeedAsync(string name)
    {
        var tenant = await app.CreateTenantAsync(name);
        // Whole seconds: the <time datetime> attribute carries seconds.
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var conversationAt = now.AddSeconds(-1);
        var localTomorrow = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Honolulu).DateTime).AddDays(1);
        var bookingAt = new DateTimeOffset(localTomorrow.ToDateTime(new TimeOnly(10, 30)), Honolulu.BaseUtcOffset).ToUniversalTime();
        var gapAt = now.AddHours(-3);
        var id = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var t = await db.Tenants.SingleAsync();
            t.TimeZoneId = Zone;
            var conversation = new Conversation
            {
                TenantId = tenant.TenantId, AgentPersonaId = tenant.AgentId, Channel = Channel.WebChat, StartedAt = conversationAt,
                EndedAt = conversationAt.AddSeconds(1), Outcome = ConversationOutcome.Booked, TurnCount = 1, CustomerName = "Kai Time",
            };
            conversation.Turns.Add(new Turn { TenantId = tenant.TenantId, Sequence = 0, Speaker = Speaker.Agent, Text = "Aloha", StartedAt = conversationAt, CompletedAt = conversationAt });
            db.Conversations.Add(conversation);
            var service = await db.Services.OrderBy(s => s.Name).FirstAsync();
            db.Bookings.Add(new Booking
            {
                TenantId = tenant.TenantId, ServiceId = service.Id, ConversationId = conversation.Id, StartUtc = bookingAt,
                EndUtc = bookingAt.AddMinutes(service.DurationMinutes), CustomerName = "Kai Time", CustomerPhone = "+18085550100",
            });
            db.KnowledgeGaps.Add(new KnowledgeGap { TenantId = tenant.TenantId, NormalizedQuestion = "do you surf", ExampleQuestion = "Do you surf?", Count = 2, LastAskedAt = gapAt });
            await db.SaveChangesAsync();
            return conversation.Id;
        });
        return new Seeded(tenant, id, conversationAt, bookingAt, gapAt);
    }

    /// <summary>The texts of every <c>&lt;time datetime="…"&gt;</c> of <paramref name="at"/> in the page.</summary>
    private static List<string> TimesOf(string html, DateTimeOffset at)
    {
        var iso = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return TimeElement().Matches(html).Where(m => m.Groups["iso"].Value == iso).Select(m => WebUtility.HtmlDecode(m.Groups["text"].Value)).ToList();
    }

    private static string Local(DateTimeOffset at, string format) => TimeZoneInfo.ConvertTime(at, Honolulu).ToString(format, En);

    private static string InUtc(DateTimeOffset at, string format) => at.UtcDateTime.ToString(format, En);

    [Fact]
    public async Task OwnerPages_ShowTimesInTheBusinessTimeZone()
    {
        var seeded = await SeedAsync("Honolulu Time Dental");
        using var owner = await app.SignInAsync(seeded.Tenant.Email, seeded.Tenant.Password);
        const string dateAndTime = "ddd, MMM d, h:mm tt";
        const string time = "h:mm tt";

        var list = await owner.GetStringAsync("/conversations");
        Assert.Equal(new[] { Local(seeded.ConversationAt, dateAndTime) }, TimesOf(list, seeded.ConversationAt));
        Assert.NotEqual(Local(seeded.ConversationAt, dateAndTime), InUtc(seeded.ConversationAt, dateAndTime));

        var detail = await owner.GetStringAsync($"/conversations/{seeded.ConversationId}");
        var detailTimes = TimesOf(detail, seeded.ConversationAt);
        Assert.Contains(Local(seeded.ConversationAt, dateAndTime), detailTimes); // header
        Assert.Contains(Local(seeded.ConversationAt, time), detailTimes); // the turn
        Assert.Contains(Local(seeded.BookingAt, dateAndTime), TimesOf(detail, seeded.BookingAt)); // its booking
        Assert.Contains($"date={DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(seeded.BookingAt, Honolulu).DateTime):yyyy-MM-dd}", detail, StringComparison.Ordinal);

        var dashboard = await owner.GetStringAsync("/");
        Assert.Equal(new[] { Local(seeded.ConversationAt, time) }, TimesOf(dashboard, seeded.ConversationAt)); // today's conversations
        Assert.Equal(new[] { Local(seeded.BookingAt, dateAndTime) }, TimesOf(dashboard, seeded.BookingAt)); // upcoming bookings
        Assert.Equal("10:30 AM", Local(seeded.BookingAt, time));

        var localDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(seeded.BookingAt, Honolulu).DateTime);
        var bookings = await owner.GetStringAsync($"/bookings?date={localDate:yyyy-MM-dd}");
        var bookingTimes = TimesOf(bookings, seeded.BookingAt);
        Assert.Contains("10:30 AM", bookingTimes); // the list's time column
        Assert.Contains(Local(seeded.BookingAt, "ddd, MMM d, yyyy"), bookingTimes); // and its date column
        Assert.Contains("<strong>10:30 AM</strong>", bookings, StringComparison.Ordinal); // the week calendar

        var knowledge = await owner.GetStringAsync("/knowledge");
        Assert.Equal(new[] { Local(seeded.GapAt, dateAndTime) }, TimesOf(knowledge, seeded.GapAt)); // when a gap was last asked
        Assert.DoesNotContain(" UTC<", knowledge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimeElements_NameTheZone_AndAnotherTenantsZoneIsNotUsed()
    {
        var honolulu = await SeedAsync("Zone Owner Dental");
        var newYork = await app.CreateTenantAsync("Zone Other Dental"); // America/New_York
        using var owner = await app.SignInAsync(honolulu.Tenant.Email, honolulu.Tenant.Password);
        using var other = await app.SignInAsync(newYork.Email, newYork.Password);

        var html = await owner.GetStringAsync("/conversations");
        Assert.Contains($"data-zone=\"{Zone}\"", html, StringComparison.Ordinal);
        Assert.Contains($"({Zone})", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        var otherHtml = await other.GetStringAsync("/conversations");
        Assert.Empty(TimesOf(otherHtml, honolulu.ConversationAt)); // tenant isolation: not listed at all
        Assert.DoesNotContain(Zone, otherHtml, StringComparison.Ordinal);
    }

    [GeneratedRegex("<time datetime=\"(?<iso>[^\"]+)\"[^>]*>(?<text>[^<]*)</time>")]
    private static partial Regex TimeElement();
}
