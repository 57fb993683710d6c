using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Audit;
using Portal.Domain.Notifications;
using Portal.Domain.Numbers;
using Portal.Domain.Tenancy;

namespace Portal.IntegrationTests;

/// <summary>Reassign, the outbox and the all-agents figures, on the real database.</summary>
public sealed class AdminPoolActionsTests(AdminFixture f) : IClassFixture<AdminFixture>
{
    [Fact]
    public async Task Reassign_MovesTheNumberToAnotherBusinessAgent_AndIsAudited()
    {
        var other = await f.CreateTenantAsync("Reassign Target Salon", Industry.Salon);
        var otherNumber = await f.AsAdminAsync(sp => sp.GetRequiredService<PortalDbContext>().PhoneNumbers.SingleAsync(p => p.AgentPersonaId == other.AgentId));
        var knownNumber = await f.AsAdminAsync(sp => sp.GetRequiredService<PortalDbContext>().PhoneNumbers.SingleAsync(p => p.TenantId == f.Known.TenantId));

        // The target agent already answers on a number: refused, nothing changes.
        Assert.Equal(AdminActionResult.NotApplicable, await f.AsAdminAsync(sp => sp.GetRequiredService<PoolAdministration>().ReassignAsync(knownNumber.Id, other.AgentId, CancellationToken.None)));
        Assert.Equal(f.Known.TenantId, (await f.NumberAsync(knownNumber.Id)).TenantId);

        Assert.Equal(AdminActionResult.Done, await f.AsAdminAsync(sp => sp.GetRequiredService<PoolAdministration>().ReleaseAsync(otherNumber.Id, CancellationToken.None)));
        Assert.Equal(AdminActionResult.Done, await f.AsAdminAsync(sp => sp.GetRequiredService<PoolAdministration>().ReassignAsync(knownNumber.Id, other.AgentId, CancellationToken.None)));

        var moved = await f.NumberAsync(knownNumber.Id);
        Assert.Equal(PhoneNumberStatus.Assigned, moved.Status);
        Assert.Equal(other.TenantId, moved.TenantId);
        Assert.Equal(other.AgentId, moved.AgentPersonaId);
        var entry = (await f.AuditFor(knownNumber.Id)).First();
        Assert.Equal(AuditActions.NumberReassign, entry.Action);
        Assert.Equal(other.TenantId, entry.TenantId);
        Assert.Contains(f.Known.TenantId.ToString(), entry.Details, StringComparison.Ordinal);

        // Calls to it now reach the new business.
        var route = await f.AsAdminAsync(sp => sp.GetRequiredService<Portal.Domain.Calls.CallRouter>().RouteAsync(moved.E164, CancellationToken.None));
        Assert.Equal(other.TenantId, route.TenantId);
    }

    [Fact]
    public async Task Reassign_ByBusinessOwner_IsRefused()
    {
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => f.AsUserAsync(f.Known.Email,
            sp => sp.GetRequiredService<PoolAdministration>().ReassignAsync(Guid.NewGuid(), Guid.NewGuid(), CancellationToken.None)));
    }

    [Fact]
    public async Task AssigningANumber_WritesNumberLiveEmail_ToTheOutbox_AndTheOutboxPageShowsIt()
    {
        var mail = await f.AsAdminAsync(sp => sp.GetRequiredService<DatabaseOutbox>()
            .ListAsync(new OutboxQuery(OutboxKind.Email, OutboxCategories.NumberLive, f.Known.Email), CancellationToken.None));
        var message = Assert.Single(mail);
        Assert.Equal(f.Known.TenantId, message.TenantId);
        Assert.Contains(E164.Display(f.KnownE164), message.Subject, StringComparison.Ordinal);

        var html = WebUtility.HtmlDecode(await f.AdminClient.GetStringAsync("/admin/outbox"));
        Assert.Contains(message.Subject, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallerMessage_EmailsTheOwner_AndTextsTheBusinessPhone()
    {
        var tenant = await f.CreateTenantAsync("Outbox Message Dental");
        var sent = await f.AsAdminAsync(sp => sp.GetRequiredService<PlatformNotifier>()
            .CallerMessageAsync(tenant.TenantId, "Jo Caller", "+12125550177", "Please call me back about a cleaning.", CancellationToken.None));
        Assert.Equal(2, sent);
        var messages = await f.AsAdminAsync(sp => sp.GetRequiredService<DatabaseOutbox>()
            .ListAsync(new OutboxQuery(Category: OutboxCategories.CallerMessage), CancellationToken.None));
        Assert.Contains(messages, m => m.Kind == OutboxKind.Email && m.To == tenant.Email && m.Body.Contains("cleaning", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Kind == OutboxKind.Sms && m.To == "+12125550188" && m.TenantId == tenant.TenantId);
    }

    [Theory]
    [InlineData("not-an-address", "Subject", "Body")]
    [InlineData("a@b.example, c@d.example", "Subject", "Body")]
    [InlineData("ok@test.example", "", "Body")]
    [InlineData("ok@test.example", "Subject", "")]
    public async Task Outbox_BadEmail_IsRefused_AndStoresNothing(string to, string subject, string body)
    {
        await using var scope = f.Services.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<IOutbox>();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var before = await db.OutboxMessages.CountAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => outbox.SendEmailAsync(to, subject, body, "test", null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => outbox.SendSmsAsync("555-0100", "Hello", "test", null, CancellationToken.None));
        Assert.Equal(before, await db.OutboxMessages.CountAsync());
    }

    [Fact]
    public async Task AllAgents_CountsCallsChatsBookingsErrorsAndFallbacks()
    {
        var tenant = await f.CreateTenantAsync("Agent Stats Auto", Industry.AutoRepair);
        var now = DateTimeOffset.UtcNow;
        await f.InTenantAsync(tenant.TenantId, async sp =>
        {
            var db = sp.GetRequiredService<PortalDbContext>();
            var booked = new Conversation { TenantId = tenant.TenantId, AgentPersonaId = tenant.AgentId, Channel = Channel.Voice, StartedAt = now, DurationSeconds = 90, Outcome = ConversationOutcome.Booked, CallStatus = "completed" };
            db.Conversations.Add(booked);
            db.Conversations.Add(new Conversation { TenantId = tenant.TenantId, AgentPersonaId = tenant.AgentId, Channel = Channel.Voice, StartedAt = now.AddMinutes(-5), Outcome = ConversationOutcome.Abandoned, CallStatus = "no-answer" });
            db.Conversations.Add(new Conversation { TenantId = tenant.TenantId, AgentPersonaId = tenant.AgentId, Channel = Channel.WebChat, StartedAt = now.AddDays(-2), Outcome = ConversationOutcome.Answered });
            db.Conversations.Add(new Conversation { TenantId = tenant.TenantId, AgentPersonaId = tenant.AgentId, Channel = Channel.Voice, StartedAt = now.AddDays(-10), Outcome = ConversationOutcome.Booked });
            db.Conversations.Add(new Conversation { TenantId = tenant.TenantId, AgentPersonaId = tenant.AgentId, Channel = Channel.Test, IsTest = true, StartedAt = now });
            // The owner's browser test call: a voice conversation, but a test, so in no figure.
            db.Conversations.Add(new Conversation { TenantId = tenant.TenantId, AgentPersonaId = tenant.AgentId, Channel = Channel.Voice, IsTest = true, StartedAt = now, Outcome = ConversationOutcome.Booked, CallStatus = "failed" });
            db.Turns.Add(new Turn { TenantId = tenant.TenantId, ConversationId = booked.Id, Sequence = 1, Speaker = Speaker.Agent, Text = "Sorry?", Intent = "None", StartedAt = now, CompletedAt = now });
            db.Turns.Add(new Turn { TenantId = tenant.TenantId, ConversationId = booked.Id, Sequence = 2, Speaker = Speaker.Agent, Text = "Booked.", Intent = "Book", StartedAt = now, CompletedAt = now });
            await db.SaveChangesAsync();
            return true;
        });

        var rows = await f.AsAdminAsync(sp => sp.GetRequiredService<TenantAdministration>().AgentsAsync("Agent Stats Auto", 10, CancellationToken.None));
        var row = Assert.Single(rows);
        Assert.Equal(tenant.AgentId, row.AgentId);
        Assert.Equal(2, row.Calls7Days);
        Assert.Equal(1, row.Chats7Days);
        Assert.Equal(90, row.AverageCallSeconds);
        Assert.Equal(1.0 / 3, row.BookingRate!.Value, 3);
        Assert.Equal(1, row.Errors);
        Assert.Equal(1, row.Fallbacks);
        Assert.NotNull(row.LastConversation);

        var volume = await f.AsAdminAsync(sp => sp.GetRequiredService<TenantAdministration>().VolumeAsync(30, CancellationToken.None));
        Assert.Equal(30, volume.Count);
        Assert.True(volume[^1].Calls >= 1 || volume[^2].Calls >= 1);

        var html = WebUtility.HtmlDecode(await f.AdminClient.GetStringAsync("/admin/agents"));
        Assert.Contains("Agent Stats Auto", html, StringComparison.Ordinal);
        Assert.Contains("agents-table", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthPage_AsAdmin_ShowsEveryCheck()
    {
        var html = await f.AdminClient.GetStringAsync("/admin/health");
        foreach (var check in new[] { "database", "job-server", "telephony-provider", "pending-jobs" })
        {
            Assert.Contains($"data-testid=\"check-{check}\"", html, StringComparison.Ordinal);
        }
    }
}
