using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Identity;
using Portal.Domain.Conversations;
using Portal.Domain.LiveChat;
using Portal.Domain.Notifications;
using Portal.Domain.Scheduling;
using Portal.Web.Teams;

namespace Portal.IntegrationTests.Accounts;

/// <summary>Settings → Notifications: defaults, per-member choices, and that the senders (messages, bookings) obey them.</summary>
public sealed class NotificationSettingsTests(TeamAppFactory app) : IClassFixture<TeamAppFactory>
{
    private async Task<(Guid OwnerId, Guid StaffId, string StaffEmail)> AddStaffAsync(Infrastructure.TestTenant owner)
    {
        var email = $"{Guid.NewGuid():N}@staff.example";
        await app.AsUserAsync(owner.TenantId, owner.Email, sp => sp.GetRequiredService<TeamService>().InviteAsync(email, Roles.BusinessStaff, "http://localhost/", CancellationToken.None));
        var mail = (await app.OutboxToAsync(email)).First(m => m.Category == TeamService.InvitationCategory);
        var accepted = await AccountsAppFactory.PostFormAsync(app.Browser(), AccountsAppFactory.LinkIn(mail.Body), "accept-register",
            new Dictionary<string, string> { ["Input.DisplayName"] = "Sam Staff", ["Input.Password"] = "Staff!Passw0rd" });
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        var ids = await app.DbAsync(db => db.Users.Where(u => u.Email == email || u.Email == owner.Email).ToDictionaryAsync(u => u.Email!, u => u.Id));
        return (ids[owner.Email], ids[email], email);
    }

    private Task<NotificationTargets> TargetsAsync(Guid tenantId, NotificationEvent e) =>
        app.InTenantAsync(tenantId, sp => sp.GetRequiredService<NotificationSettings>().TargetsAsync(tenantId, e, CancellationToken.None));

    [Fact]
    public async Task Defaults_OwnersGetEverythingButGaps_StaffGetMessagesAndBookings_PhoneGetsMessageSms()
    {
        var owner = await app.CreateTenantAsync("Notify Defaults Dental");
        var (_, _, staffEmail) = await AddStaffAsync(owner);

        var message = await TargetsAsync(owner.TenantId, NotificationEvent.MessageTaken);
        Assert.Equal(new[] { owner.Email, staffEmail }.Order(), message.Emails.Order());
        Assert.Equal(new[] { "+12125550188" }, message.Phones);
        var billing = await TargetsAsync(owner.TenantId, NotificationEvent.BillingLimit);
        Assert.Equal(new[] { owner.Email }, billing.Emails);
        Assert.Empty((await TargetsAsync(owner.TenantId, NotificationEvent.KnowledgeGap)).Emails);
    }

    [Fact]
    public async Task Choices_ChangeWhoTheCallerMessageReaches()
    {
        var owner = await app.CreateTenantAsync("Notify Choices Dental");
        var (ownerId, staffId, staffEmail) = await AddStaffAsync(owner);
        await app.DbAsync(db => db.Users.Where(u => u.Id == staffId).ExecuteUpdateAsync(s => s.SetProperty(u => u.PhoneNumber, "+16465550142")));
        await app.AsUserAsync(owner.TenantId, owner.Email, async sp =>
        {
            var settings = sp.GetRequiredService<NotificationSettings>();
            await settings.SetAsync(ownerId, NotificationEvent.MessageTaken, new NotificationChoice(false, false), CancellationToken.None);
            await settings.SetAsync(staffId, NotificationEvent.MessageTaken, new NotificationChoice(true, true), CancellationToken.None);
            await settings.SetAsync(null, NotificationEvent.MessageTaken, new NotificationChoice(false, false), CancellationToken.None);
            var matrix = await settings.GetAsync(CancellationToken.None);
            Assert.Equal(new NotificationChoice(true, true), matrix.Choices[(staffId, NotificationEvent.MessageTaken)]);
            Assert.Equal(3, matrix.Recipients.Count);
            return 0;
        });

        var sent = await app.InTenantAsync(owner.TenantId, sp => sp.GetRequiredService<PlatformNotifier>()
            .CallerMessageAsync(owner.TenantId, "Jo Caller", "+12125550177", "Please call me back.", CancellationToken.None));
        Assert.Equal(2, sent);
        var outbox = await app.DbAsync(db => db.OutboxMessages.Where(m => m.TenantId == owner.TenantId && m.Category == OutboxCategories.CallerMessage).ToListAsync());
        Assert.Equal(2, outbox.Count);
        Assert.Contains(outbox, m => m.Kind == OutboxKind.Email && m.To == staffEmail);
        Assert.Contains(outbox, m => m.Kind == OutboxKind.Sms && m.To == "+16465550142");
    }

    [Fact]
    public async Task ABooking_NotifiesWhoTheSettingsSay()
    {
        var owner = await app.CreateTenantAsync("Notify Booking Dental");
        var (_, staffId, staffEmail) = await AddStaffAsync(owner);
        await app.AsUserAsync(owner.TenantId, owner.Email, async sp =>
        {
            await sp.GetRequiredService<NotificationSettings>().SetAsync(staffId, NotificationEvent.BookingCreated, new NotificationChoice(false, false), CancellationToken.None);
            return 0;
        });
        var serviceId = await app.DbAsync(db => db.Services.IgnoreQueryFilters().Where(s => s.TenantId == owner.TenantId).Select(s => s.Id).FirstAsync());
        var start = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(3).AddHours(15), TimeSpan.Zero);
        var id = await app.InTenantAsync(owner.TenantId, sp => sp.GetRequiredService<IBookingStore>().CreateAsync(
            new NewBooking(owner.TenantId, serviceId, null, start, start.AddMinutes(30), "Jo Smith", "+12125550177", null), CancellationToken.None));
        Assert.NotNull(id);
        var created = await app.DbAsync(db => db.OutboxMessages.Where(m => m.TenantId == owner.TenantId && m.Category == OutboxCategories.BookingCreated).ToListAsync());
        var mail = Assert.Single(created);
        Assert.Equal(owner.Email, mail.To);
        Assert.Contains("Jo Smith", mail.Subject, StringComparison.Ordinal);

        Assert.True(await app.InTenantAsync(owner.TenantId, sp => sp.GetRequiredService<IBookingStore>().CancelAsync(owner.TenantId, id!.Value, CancellationToken.None)));
        var cancelled = await app.DbAsync(db => db.OutboxMessages.Where(m => m.TenantId == owner.TenantId && m.Category == OutboxCategories.BookingCancelled).Select(m => m.To).ToListAsync());
        Assert.Equal(new[] { owner.Email, staffEmail }.Order(), cancelled.Order());
    }

    [Fact]
    public async Task ANewKnowledgeGap_IsEmailed_OnlyToWhoAskedForIt_AndOnlyOnce()
    {
        var owner = await app.CreateTenantAsync("Notify Gap Dental");
        var (ownerId, _, _) = await AddStaffAsync(owner);
        await app.AsUserAsync(owner.TenantId, owner.Email, async sp =>
        {
            await sp.GetRequiredService<NotificationSettings>().SetAsync(ownerId, NotificationEvent.KnowledgeGap, new NotificationChoice(true, false), CancellationToken.None);
            return 0;
        });
        foreach (var question in new[] { "Do you offer teeth whitening for kids?", "do you offer teeth whitening for kids" })
        {
            await app.InTenantAsync(owner.TenantId, async sp =>
            {
                await sp.GetRequiredService<Portal.Domain.Knowledge.IKnowledgeBase>().RecordGapAsync(owner.TenantId, question, null, CancellationToken.None);
                return 0;
            });
        }

        var gaps = await app.DbAsync(db => db.OutboxMessages.Where(m => m.TenantId == owner.TenantId && m.Category == OutboxCategories.KnowledgeGap).ToListAsync());
        var mail = Assert.Single(gaps);
        Assert.Equal(owner.Email, mail.To);
        Assert.Contains("teeth whitening", mail.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHandoverRequest_ReachesWhoTheSettingsSay_ByEmailAndSms()
    {
        var owner = await app.CreateTenantAsync("Notify Handover Dental");
        var (_, staffId, staffEmail) = await AddStaffAsync(owner);
        Assert.Equal(new[] { owner.Email, staffEmail }.Order(), (await TargetsAsync(owner.TenantId, NotificationEvent.HandoverRequested)).Emails.Order());
        await app.DbAsync(db => db.Users.Where(u => u.Id == staffId).ExecuteUpdateAsync(s => s.SetProperty(u => u.PhoneNumber, "+16465550143")));
        await app.AsUserAsync(owner.TenantId, owner.Email, async sp =>
        {
            await sp.GetRequiredService<NotificationSettings>().SetAsync(staffId, NotificationEvent.HandoverRequested, new NotificationChoice(false, true), CancellationToken.None);
            return 0;
        });
        // Open all day, every day, so a hand-over is possible at any hour the test runs.
        await app.InTenantAsync(owner.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            await db.BusinessHours.ExecuteDeleteAsync();
            db.BusinessHours.AddRange(Enum.GetValues<DayOfWeek>().Select(d => new BusinessHours { DayOfWeek = d, Opens = TimeOnly.MinValue, Closes = new TimeOnly(23, 59) }));
            return await db.SaveChangesAsync();
        });
        app.Services.GetRequiredService<BusinessProfileCache>().Invalidate(owner.TenantId);

        var notice = await app.InTenantAsync(owner.TenantId, async sp =>
        {
            var started = await sp.GetRequiredService<ConversationService>().StartAsync(Channel.WebChat, null, CancellationToken.None);
            return await sp.GetRequiredService<LiveChatService>().RequestPersonAsync(started.ConversationId, CancellationToken.None);
        });
        Assert.Equal(ChatHandover.WaitingNotice, notice);
        var sent = await app.DbAsync(db => db.OutboxMessages.Where(m => m.TenantId == owner.TenantId && m.Category == ChatHandover.HandoverEmailCategory).ToListAsync());
        Assert.Equal(2, sent.Count);
        Assert.Contains(sent, m => m.Kind == OutboxKind.Email && m.To == owner.Email);
        var text = Assert.Single(sent, m => m.Kind == OutboxKind.Sms);
        Assert.Equal("+16465550143", text.To);
        Assert.Contains("asks for a person", text.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(sent, m => m.To == staffEmail);
    }

    [Fact]
    public async Task Isolation_AnOwnerCannotSetChoicesForAnotherBusinessesMember()
    {
        var a = await app.CreateTenantAsync("Notify Iso A");
        var b = await app.CreateTenantAsync("Notify Iso B");
        var bOwnerId = await app.DbAsync(db => db.Users.Where(u => u.Email == b.Email).Select(u => u.Id).SingleAsync());
        await Assert.ThrowsAsync<ArgumentException>(() => app.AsUserAsync(a.TenantId, a.Email, async sp =>
        {
            await sp.GetRequiredService<NotificationSettings>().SetAsync(bOwnerId, NotificationEvent.MessageTaken, new NotificationChoice(false, false), CancellationToken.None);
            return 0;
        }));
        var matrix = await app.AsUserAsync(a.TenantId, a.Email, sp => sp.GetRequiredService<NotificationSettings>().GetAsync(CancellationToken.None));
        Assert.DoesNotContain(matrix.Recipients, r => r.Email == b.Email);
        Assert.Equal(0, await app.DbAsync(db => db.NotificationPreferences.IgnoreQueryFilters().CountAsync(p => p.UserId == bOwnerId)));
        var html = WebUtility.HtmlDecode(await (await app.SignInAsync(a.Email, a.Password)).GetStringAsync("/settings/notifications"));
        Assert.Contains("notifications-table", html, StringComparison.Ordinal);
        Assert.DoesNotContain(b.Email, html, StringComparison.Ordinal);
    }
}
