using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Agents;
using Portal.Domain.Brain.Insights;
using Portal.Domain.Conversations;
using Portal.Domain.Dashboard;
using Portal.Domain.Scheduling;
using Portal.IntegrationTests.Infrastructure;
using Portal.Rag.Ingestion;

namespace Portal.IntegrationTests.BusinessSettings;

/// <summary>
/// The services behind the bookings, conversations, dashboard, agent and knowledge pages: what they read is the current
/// business's only, a call for business B never changes business A's rows, and the bookings page cancels the way the
/// agent does (one cancellation, one semantics).
/// </summary>
public sealed class PageServicesTests(PortalAppFactory app) : IClassFixture<PortalAppFactory>
{
    private static async Task<Guid> AddBookingAsync(IServiceProvider sp, Guid tenantId, DateTimeOffset start)
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var service = await db.Services.FirstAsync();
        var booking = new Booking { TenantId = tenantId, ServiceId = service.Id, StartUtc = start, EndUtc = start.AddMinutes(30), CustomerName = "Ann Lee", CustomerPhone = "+12125550111" };
        db.Bookings.Add(booking);
        await db.SaveChangesAsync();
        return booking.Id;
    }

    [Fact]
    public async Task Cancel_FromTheBookingsPage_IsTheAgentsCancel_AndAnotherBusinessCannotCancelIt()
    {
        var a = await app.CreateTenantAsync("Cancel A Dental");
        var b = await app.CreateTenantAsync("Cancel B Dental");
        var start = DateTimeOffset.UtcNow.AddDays(4);
        var bookingId = await app.InTenantAsync(a.TenantId, sp => AddBookingAsync(sp, a.TenantId, start));

        await app.InTenantAsync(b.TenantId, async sp =>
        {
            Assert.Equal(BookingCommandStatus.NotFound, (await sp.GetRequiredService<BookingCommands>().CancelAsync(bookingId, CancellationToken.None)).Status);
            var calendar = sp.GetRequiredService<BookingCalendar>();
            Assert.Empty(await calendar.ListAsync(BookingFilter.Upcoming, DateTimeOffset.UtcNow, CancellationToken.None));
            Assert.Empty((await calendar.WeekAsync(DateOnly.FromDateTime(start.UtcDateTime), start.AddHours(-1), start.AddHours(1), CancellationToken.None)).Bookings);
            return 0;
        });

        await app.InTenantAsync(a.TenantId, async sp =>
        {
            var calendar = sp.GetRequiredService<BookingCalendar>();
            Assert.Equal(bookingId, Assert.Single(await calendar.ListAsync(BookingFilter.Upcoming, DateTimeOffset.UtcNow, CancellationToken.None)).Id);
            Assert.Equal(bookingId, Assert.Single((await calendar.WeekAsync(DateOnly.FromDateTime(start.UtcDateTime), start.AddHours(-1), start.AddHours(1), CancellationToken.None)).Bookings).Id);

            var commands = sp.GetRequiredService<BookingCommands>();
            Assert.Equal(BookingCommandStatus.Done, (await commands.CancelAsync(bookingId, CancellationToken.None)).Status);
            Assert.Equal(BookingCommandStatus.NotActive, (await commands.CancelAsync(bookingId, CancellationToken.None)).Status);
            Assert.Equal(bookingId, Assert.Single(await calendar.ListAsync(BookingFilter.Cancelled, DateTimeOffset.UtcNow, CancellationToken.None)).Id);
            Assert.Empty(await calendar.ListAsync(BookingFilter.Upcoming, DateTimeOffset.UtcNow, CancellationToken.None));

            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var booking = await db.Bookings.SingleAsync(x => x.Id == bookingId);
            Assert.Equal(BookingStatus.Cancelled, booking.Status);
            return 0;
        });
    }

    [Fact]
    public async Task ConversationsAndDashboard_ShowOnlyTheCurrentBusinesssConversations()
    {
        var a = await app.CreateTenantAsync("History A Dental");
        var b = await app.CreateTenantAsync("History B Dental");
        var conversationId = await app.InTenantAsync(a.TenantId, async sp =>
            (await sp.GetRequiredService<ConversationService>().StartAsync(Channel.WebChat, null, CancellationToken.None)).ConversationId);
        var now = DateTimeOffset.UtcNow;
        var window = new DashboardWindow(now, now.AddHours(-1), now.AddHours(1), now.AddDays(8), now.AddDays(-13));
        var everything = new ConversationQuery(null, null, null, null, null, new InsightFilter());

        await app.InTenantAsync(b.TenantId, async sp =>
        {
            var history = sp.GetRequiredService<ConversationHistory>();
            Assert.Null(await history.GetAsync(conversationId, CancellationToken.None));
            Assert.Equal(0, (await history.ListAsync(everything, 1, 25, CancellationToken.None)).Total);
            var figures = await sp.GetRequiredService<DashboardService>().LoadAsync(window, CancellationToken.None);
            Assert.Equal(0, figures.TodayCount);
            Assert.Empty(figures.ChartStarts);
            return 0;
        });

        await app.InTenantAsync(a.TenantId, async sp =>
        {
            var history = sp.GetRequiredService<ConversationHistory>();
            var found = await history.GetAsync(conversationId, CancellationToken.None);
            Assert.Equal(conversationId, found?.Conversation.Id);
            var page = await history.ListAsync(everything with { Channel = Channel.WebChat }, 7, 25, CancellationToken.None);
            Assert.Equal(1, page.Total);
            Assert.Equal(1, page.Page); // clamped to the pages there are
            Assert.Equal(conversationId, Assert.Single(page.Rows).Id);
            Assert.Equal(0, (await history.ListAsync(everything with { Channel = Channel.Voice }, 1, 25, CancellationToken.None)).Total);

            var figures = await sp.GetRequiredService<DashboardService>().LoadAsync(window, CancellationToken.None);
            Assert.Equal(1, figures.TodayCount);
            Assert.Equal(conversationId, Assert.Single(figures.Latest).Id);
            Assert.NotNull(figures.AssignedNumber);
            return 0;
        });
    }

    [Fact]
    public async Task AgentSettings_BadTransferNumber_ChangesNothing_AndASaveReachesTheProfile()
    {
        var tenant = await app.CreateTenantAsync("Agent Settings Dental");
        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            var agents = sp.GetRequiredService<AgentSettingsService>();
            var profiles = sp.GetRequiredService<BusinessProfileCache>();
            var persona = (await agents.GetAsync(CancellationToken.None)).Persona!;
            _ = await profiles.GetAsync(tenant.TenantId, CancellationToken.None);
            var input = new AgentSettingsInput("Mia", "Hi, this is Mia.", Personality.Professional, null, "+1 212 555 0177", persona.VoiceId, false, null, null, null, null, null, false);

            await Assert.ThrowsAsync<ArgumentException>(() => agents.SaveAsync(persona.Id, input with { TransferNumber = "call my cell" }, CancellationToken.None));
            Assert.Equal(persona.Name, (await agents.GetAsync(CancellationToken.None)).Persona!.Name);

            var saved = await agents.SaveAsync(persona.Id, input, CancellationToken.None);
            Assert.Equal("+12125550177", saved!.TransferNumber);
            var profile = await profiles.GetAsync(tenant.TenantId, CancellationToken.None);
            Assert.Equal("Mia", profile.AgentName);
            Assert.Equal("+12125550177", profile.TransferNumber);
            return 0;
        });
    }

    [Fact]
    public async Task AgentSettingsPatch_ChangesOnlyTheGivenFields_EmptyClears_BadInputChangesNothing()
    {
        var tenant = await app.CreateTenantAsync("Agent Patch Dental");
        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            var agents = sp.GetRequiredService<AgentSettingsService>();
            var profiles = sp.GetRequiredService<BusinessProfileCache>();
            var before = (await agents.GetAsync(CancellationToken.None)).Persona!;
            _ = await profiles.GetAsync(tenant.TenantId, CancellationToken.None);

            var saved = await agents.UpdateAsync(new AgentSettingsPatch("Maya", null, Personality.Casual, "Offer the earliest slot.", "(212) 555-0177", null), CancellationToken.None);
            Assert.Equal(("Maya", before.Greeting, Personality.Casual, "Offer the earliest slot.", "+12125550177", before.VoiceId),
                (saved!.Name, saved.Greeting, saved.Personality, saved.CustomInstructions, saved.TransferNumber, saved.VoiceId));
            Assert.Equal("Maya", (await profiles.GetAsync(tenant.TenantId, CancellationToken.None)).AgentName);

            await Assert.ThrowsAsync<ArgumentException>(() => agents.UpdateAsync(new AgentSettingsPatch("Zed", "", null, null, null, null), CancellationToken.None));
            var cleared = await agents.UpdateAsync(new AgentSettingsPatch(null, null, null, "", "", null), CancellationToken.None);
            Assert.Equal(("Maya", (string?)null, (string?)null), (cleared!.Name, cleared.CustomInstructions, cleared.TransferNumber));
            return 0;
        });
    }

    [Fact]
    public async Task AgentSettings_AnotherBusinesssPersona_IsNotFound_AndUnchanged()
    {
        var a = await app.CreateTenantAsync("Persona A Dental");
        var b = await app.CreateTenantAsync("Persona B Dental");
        await app.InTenantAsync(b.TenantId, async sp =>
        {
            var input = new AgentSettingsInput("Intruder", "Hello.", Personality.Casual, null, null, "en-us", false, null, null, null, null, null, false);
            Assert.Null(await sp.GetRequiredService<AgentSettingsService>().SaveAsync(a.AgentId, input, CancellationToken.None));
            return 0;
        });

        await app.InTenantAsync(a.TenantId, async sp =>
        {
            Assert.NotEqual("Intruder", (await sp.GetRequiredService<AgentSettingsService>().GetAsync(CancellationToken.None)).Persona!.Name);
            return 0;
        });
    }

    [Fact]
    public async Task Knowledge_ListsAndChunks_AreTheCurrentBusinesss()
    {
        var a = await app.CreateTenantAsync("Knowledge A Dental");
        var b = await app.CreateTenantAsync("Knowledge B Dental");
        var faqId = await app.InTenantAsync(a.TenantId, async sp =>
        {
            var knowledge = sp.GetRequiredService<KnowledgeService>();
            var saved = await knowledge.SaveFaqAsync(a.TenantId, null, "Do you take walk-ins?", "Yes, before noon.", null, CancellationToken.None);
            Assert.True(saved.Succeeded, saved.Error);
            var faq = Assert.Single(await knowledge.ListDocumentsAsync(CancellationToken.None), d => d.Id == saved.DocumentId);
            Assert.Equal("Yes, before noon.", faq.FaqAnswer);
            Assert.Single(await knowledge.ListChunksAsync(faq.Id, CancellationToken.None));
            return faq.Id;
        });

        await app.InTenantAsync(b.TenantId, async sp =>
        {
            var knowledge = sp.GetRequiredService<KnowledgeService>();
            Assert.DoesNotContain(await knowledge.ListDocumentsAsync(CancellationToken.None), d => d.Id == faqId);
            Assert.Empty(await knowledge.ListChunksAsync(faqId, CancellationToken.None));
            Assert.False(await knowledge.DeleteAsync(b.TenantId, faqId, CancellationToken.None));
            return 0;
        });

        await app.InTenantAsync(a.TenantId, async sp =>
        {
            Assert.Contains(await sp.GetRequiredService<KnowledgeService>().ListDocumentsAsync(CancellationToken.None), d => d.Id == faqId);
            return 0;
        });
    }
}
