using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Audit;
using Portal.Domain.Customers;
using Portal.IntegrationTests.Accounts;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.Customers;

/// <summary>The Customers list and detail pages and their service: the timeline's contents, notes (audited), and tenant isolation.</summary>
public sealed class CustomerPagesTests(TeamAppFactory app) : IClassFixture<TeamAppFactory>
{
    private sealed record Seeded(TestTenant Tenant, Guid CustomerId, Guid CallId, Guid BookingId);

    private async Task<Seeded> SeedAsync(string business, string customerName)
    {
        var tenant = await app.CreateTenantAsync(business);
        return await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var now = DateTimeOffset.UtcNow;
            var customer = new Customer { TenantId = tenant.TenantId, Name = customerName, Phone = "+12125550142", Email = "jamie@example.com", FirstContactAt = now.AddDays(-20), LastContactAt = now.AddDays(-1) };
            db.Customers.Add(customer);
            Conversation Talk(Channel channel, int daysAgo, ConversationOutcome outcome) => new()
            {
                TenantId = tenant.TenantId, AgentPersonaId = tenant.AgentId, Channel = channel, StartedAt = now.AddDays(-daysAgo), EndedAt = now.AddDays(-daysAgo).AddMinutes(3),
                Outcome = outcome, CustomerPhone = customer.Phone, CustomerId = customer.Id, TurnCount = 2,
            };
            var call = Talk(Channel.Voice, 20, ConversationOutcome.MessageTaken);
            var chat = Talk(Channel.WebChat, 5, ConversationOutcome.Booked);
            var text = Talk(Channel.Sms, 1, ConversationOutcome.Answered);
            db.Conversations.AddRange(call, chat, text);
            db.ConversationInsights.Add(new ConversationInsight { TenantId = tenant.TenantId, ConversationId = call.Id, Summary = "Asked about whitening prices and left a message.", LeadScore = 35, AnalyzedAt = now.AddDays(-20) });
            db.ConversationInsights.Add(new ConversationInsight { TenantId = tenant.TenantId, ConversationId = chat.Id, Summary = "Booked a cleaning for next week.", LeadScore = 85, LeadReasons = ["Booked (+40)"], AnalyzedAt = now.AddDays(-5) });
            db.CallerMessages.Add(new CallerMessage { TenantId = tenant.TenantId, ConversationId = call.Id, CallerName = customerName, CallerPhone = customer.Phone, Body = "Please call me back about whitening." });
            var service = await db.Services.FirstAsync();
            var booking = new Booking { TenantId = tenant.TenantId, ServiceId = service.Id, ConversationId = chat.Id, CustomerId = customer.Id, StartUtc = now.AddDays(6), EndUtc = now.AddDays(6).AddMinutes(30), CustomerName = customerName, CustomerPhone = customer.Phone! };
            db.Bookings.Add(booking);
            await db.SaveChangesAsync();
            return new Seeded(tenant, customer.Id, call.Id, booking.Id);
        });
    }

    [Fact]
    public async Task Timeline_HoldsCallsChatsTextsBookingsMessagesAndSummaries_WithTheLatestLeadScore()
    {
        var seeded = await SeedAsync("Timeline Dental", "Jamie Rivera");
        await app.InTenantAsync(seeded.Tenant.TenantId, async sp =>
        {
            var service = sp.GetRequiredService<CustomerService>();
            var detail = await service.GetAsync(seeded.CustomerId, CancellationToken.None);
            Assert.NotNull(detail);
            Assert.Equal(
                [TimelineKind.Booking, TimelineKind.Message, TimelineKind.Text, TimelineKind.Chat, TimelineKind.Call],
                detail.Timeline.Select(e => e.Kind).ToArray());
            Assert.Contains(detail.Timeline, e => e.Summary == "Booked a cleaning for next week." && e.LeadScore == 85);
            Assert.Contains(detail.Timeline, e => e.Kind == TimelineKind.Message && e.Summary == "Please call me back about whitening.");
            Assert.Equal(85, detail.LeadScore);
            Assert.Equal(["Booked (+40)"], detail.LeadReasons);
            Assert.NotNull(detail.NextBooking);

            var row = Assert.Single((await service.ListAsync(null, 1, 25, CancellationToken.None)).Rows);
            Assert.Equal((1, 1, 1, 1, 85), (row.Calls, row.Chats, row.Texts, row.Bookings, row.LeadScore));
            Assert.Single((await service.ListAsync("555 0142", 1, 25, CancellationToken.None)).Rows);
            Assert.Single((await service.ListAsync("RIVERA", 1, 25, CancellationToken.None)).Rows);
            Assert.Empty((await service.ListAsync("nobody", 1, 25, CancellationToken.None)).Rows);
            return 0;
        });
    }

    [Fact]
    public async Task Notes_AreSaved_Audited_AndLimitedInLength()
    {
        var seeded = await SeedAsync("Notes Dental", "Jamie Rivera");
        var saved = await app.AsUserAsync(seeded.Tenant.TenantId, seeded.Tenant.Email, sp =>
            sp.GetRequiredService<CustomerService>().SaveNotesAsync(seeded.CustomerId, "  Prefers mornings; nervous about needles.  ", CancellationToken.None));
        Assert.True(saved);

        await app.AsUserAsync(seeded.Tenant.TenantId, seeded.Tenant.Email, async sp =>
        {
            var service = sp.GetRequiredService<CustomerService>();
            Assert.Equal("Prefers mornings; nervous about needles.", (await service.GetAsync(seeded.CustomerId, CancellationToken.None))!.Notes);
            await Assert.ThrowsAsync<ArgumentException>(() => service.SaveNotesAsync(seeded.CustomerId, new string('x', Customer.NotesMaxLength + 1), CancellationToken.None));
            return 0;
        });

        var entry = await app.DbAsync(db => db.AuditEntries.SingleAsync(e => e.Action == AuditActions.CustomerNotes && e.TargetId == seeded.CustomerId.ToString()));
        Assert.Equal(seeded.Tenant.TenantId, entry.TenantId);
        Assert.Equal(seeded.Tenant.Email, entry.ActorEmail);
        Assert.DoesNotContain("needles", entry.Details ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherBusinessesCustomer_IsNeverVisible_InTheServiceOrThePages()
    {
        var alpha = await SeedAsync("Alpha Customers Dental", "Alice Alpha");
        var bravo = await SeedAsync("Bravo Customers Dental", "Bob Bravo");

        await app.AsUserAsync(alpha.Tenant.TenantId, alpha.Tenant.Email, async sp =>
        {
            var service = sp.GetRequiredService<CustomerService>();
            Assert.Null(await service.GetAsync(bravo.CustomerId, CancellationToken.None));
            Assert.False(await service.SaveNotesAsync(bravo.CustomerId, "not yours", CancellationToken.None));
            Assert.Equal([alpha.CustomerId], (await service.ListAsync(null, 1, 25, CancellationToken.None)).Rows.Select(r => r.Id).ToArray());
            Assert.Empty((await service.ListAsync("Bravo", 1, 25, CancellationToken.None)).Rows);
            return 0;
        });
        Assert.Equal("", await app.DbAsync(db => db.Customers.IgnoreQueryFilters().Where(c => c.Id == bravo.CustomerId).Select(c => c.Notes).SingleAsync()));

        var client = await app.SignInAsync(alpha.Tenant.Email, alpha.Tenant.Password);
        var list = await client.GetStringAsync("/customers");
        Assert.Contains("Alice Alpha", list, StringComparison.Ordinal);
        Assert.DoesNotContain("Bob Bravo", list, StringComparison.Ordinal);
        var own = await client.GetStringAsync($"/customers/{alpha.CustomerId}");
        Assert.Contains("Alice Alpha", own, StringComparison.Ordinal);
        Assert.Contains("Booked a cleaning for next week.", own, StringComparison.Ordinal);
        var foreign = await client.GetStringAsync($"/customers/{bravo.CustomerId}");
        Assert.Contains("Customer not found", foreign, StringComparison.Ordinal);
        Assert.DoesNotContain("Bob Bravo", foreign, StringComparison.Ordinal);
    }
}
