using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Agencies;
using Portal.Domain.Conversations;
using Portal.Domain.Numbers;
using Portal.Domain.Scheduling;
using Portal.Domain.Tenancy;
using Portal.IntegrationTests.Infrastructure;
using Portal.Rag.Ingestion;

namespace Portal.IntegrationTests.Api;

/// <summary>
/// The domain services behind the API's keyset-paged lists and the assistant (MCP) tools: pages follow each other
/// without gaps or repeats, filters narrow, and business B never reads business A's rows.
/// </summary>
public sealed class ApiListServicesTests(PortalAppFactory app) : IClassFixture<PortalAppFactory>
{
    private static readonly DateTimeOffset Base = new(2026, 3, 2, 15, 0, 0, TimeSpan.Zero);

    private static async Task<List<Guid>> AddConversationsAsync(IServiceProvider sp, TestTenant tenant)
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var rows = new List<Conversation>
        {
            new() { TenantId = tenant.TenantId, AgentPersonaId = tenant.AgentId, Channel = Channel.Voice, StartedAt = Base, Outcome = ConversationOutcome.Booked, CallStatus = "completed", CustomerName = "Zelda Quill" },
            new() { TenantId = tenant.TenantId, AgentPersonaId = tenant.AgentId, Channel = Channel.Voice, StartedAt = Base.AddMinutes(-10), Outcome = ConversationOutcome.Abandoned, CallStatus = "no-answer" },
            new() { TenantId = tenant.TenantId, AgentPersonaId = tenant.AgentId, Channel = Channel.WebChat, StartedAt = Base.AddMinutes(-20), Outcome = ConversationOutcome.Answered },
            new() { TenantId = tenant.TenantId, AgentPersonaId = tenant.AgentId, Channel = Channel.Voice, StartedAt = Base.AddMinutes(-30), Outcome = ConversationOutcome.Answered, CallStatus = "completed", IsTest = true, CustomerName = "Zelda Test" },
        };
        db.Conversations.AddRange(rows);
        await db.SaveChangesAsync();
        return rows.Select(c => c.Id).ToList();
    }

    [Fact]
    public async Task ConversationPages_FollowEachOther_FilterByChannelOutcomeAndCallStatus_AndStayInTheirBusiness()
    {
        var a = await app.CreateTenantAsync("Keyset A Dental");
        var b = await app.CreateTenantAsync("Keyset B Dental");
        var ids = await app.InTenantAsync(a.TenantId, sp => AddConversationsAsync(sp, a));
        var other = await app.InTenantAsync(b.TenantId, sp => AddConversationsAsync(sp, b));

        await app.InTenantAsync(a.TenantId, async sp =>
        {
            var history = sp.GetRequiredService<ConversationHistory>();
            var window = new ConversationSlice(FromUtc: Base.AddHours(-1), ToUtc: Base.AddMinutes(1));
            var first = await history.ListAfterAsync(window, 2, null, CancellationToken.None);
            Assert.Equal(ids.Take(2), first.Select(c => c.Id));
            var second = await history.ListAfterAsync(window, 5, (first[^1].StartedAt, first[^1].Id), CancellationToken.None);
            Assert.Equal(ids.Skip(2), second.Select(c => c.Id));

            Assert.Equal(new[] { ids[0], ids[3] }, (await history.ListAfterAsync(new ConversationSlice(Channel.Voice, CallStatus: "COMPLETED"), 10, null, CancellationToken.None)).Select(c => c.Id));
            Assert.Equal(new[] { ids[1] }, (await history.ListAfterAsync(new ConversationSlice(Channel.Voice, ConversationOutcome.Abandoned), 10, null, CancellationToken.None)).Select(c => c.Id));
            Assert.Equal(new[] { ids[2] }, (await history.ListAfterAsync(new ConversationSlice(Channel.WebChat), 10, null, CancellationToken.None)).Select(c => c.Id));

            Assert.True(await history.IsCallAsync(ids[0], CancellationToken.None));
            Assert.False(await history.IsCallAsync(ids[2], CancellationToken.None));
            Assert.Null(await history.FindWithTurnsAsync(ids[2], Channel.Voice, CancellationToken.None));
            Assert.Equal(ids[2], (await history.FindWithTurnsAsync(ids[2], null, CancellationToken.None))?.Id);

            // Another business's rows are unknown, whatever the id or filter.
            Assert.DoesNotContain((await history.ListAfterAsync(new ConversationSlice(), 50, null, CancellationToken.None)).Select(c => c.Id), other.Contains);
            Assert.Null(await history.FindWithTurnsAsync(other[0], null, CancellationToken.None));
            Assert.False(await history.IsCallAsync(other[0], CancellationToken.None));
            Assert.Empty(await history.RecordingsAsync(other[0], CancellationToken.None));
            return 0;
        });
    }

    [Fact]
    public async Task ConversationSearch_FindsByCustomer_SkipsTestConversations_AndStaysInItsBusiness()
    {
        var a = await app.CreateTenantAsync("Search A Dental");
        var b = await app.CreateTenantAsync("Search B Dental");
        var ids = await app.InTenantAsync(a.TenantId, sp => AddConversationsAsync(sp, a));
        var other = await app.InTenantAsync(b.TenantId, sp => AddConversationsAsync(sp, b));

        await app.InTenantAsync(a.TenantId, async sp =>
        {
            var search = sp.GetRequiredService<ConversationSearch>();
            var hit = Assert.Single(await search.SearchAsync("zelda", 10, CancellationToken.None));
            Assert.Equal(ids[0], hit.Id);
            Assert.Equal(ConversationOutcome.Booked, hit.Outcome);
            Assert.Empty(await search.SearchAsync("100%_", 10, CancellationToken.None));
            Assert.Equal(new[] { ids[0], ids[1] }, (await search.SearchAsync(null, 2, CancellationToken.None)).Select(h => h.Id));
            Assert.Equal(ids[3], (await search.GetAsync(ids[3], CancellationToken.None))?.Conversation.Id);
            Assert.Null(await search.GetAsync(other[0], CancellationToken.None));
            return 0;
        });
    }

    [Fact]
    public async Task BookingPages_AreSoonestFirst_OverlapTheRange_FilterByStatus_AndStayInTheirBusiness()
    {
        var a = await app.CreateTenantAsync("Bookings A Dental");
        var b = await app.CreateTenantAsync("Bookings B Dental");
        async Task<List<Guid>> AddAsync(IServiceProvider sp, Guid tenantId)
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var service = await db.Services.FirstAsync();
            var rows = Enumerable.Range(0, 3).Select(i => new Booking
            {
                TenantId = tenantId, ServiceId = service.Id, StartUtc = Base.AddHours(i), EndUtc = Base.AddHours(i).AddMinutes(30),
                CustomerName = "Ann Lee", CustomerPhone = "+12125550111", Status = i == 1 ? BookingStatus.Cancelled : BookingStatus.Confirmed,
            }).ToList();
            db.Bookings.AddRange(rows);
            await db.SaveChangesAsync();
            return rows.Select(r => r.Id).ToList();
        }

        var ids = await app.InTenantAsync(a.TenantId, sp => AddAsync(sp, a.TenantId));
        var other = await app.InTenantAsync(b.TenantId, sp => AddAsync(sp, b.TenantId));

        await app.InTenantAsync(a.TenantId, async sp =>
        {
            var calendar = sp.GetRequiredService<BookingCalendar>();
            // From 15:10: the 15:00-15:30 booking still overlaps.
            var first = await calendar.ListAfterAsync(Base.AddMinutes(10), Base.AddDays(1), null, 2, null, CancellationToken.None);
            Assert.Equal(ids.Take(2), first.Select(x => x.Id));
            Assert.False(string.IsNullOrEmpty(first[0].Service?.Name));
            var rest = await calendar.ListAfterAsync(Base.AddMinutes(10), Base.AddDays(1), null, 2, (first[^1].StartUtc, first[^1].Id), CancellationToken.None);
            Assert.Equal(new[] { ids[2] }, rest.Select(x => x.Id));
            Assert.Empty(await calendar.ListAfterAsync(Base.AddMinutes(30), Base.AddHours(1), null, 10, null, CancellationToken.None));
            Assert.Equal(new[] { ids[0], ids[2] }, (await calendar.ListAfterAsync(Base.AddMinutes(-1), null, BookingStatus.Confirmed, 10, null, CancellationToken.None)).Select(x => x.Id));

            Assert.Equal(ids[1], (await calendar.FindAsync(ids[1], CancellationToken.None))?.Id);
            Assert.Null(await calendar.FindAsync(other[0], CancellationToken.None));
            Assert.DoesNotContain((await calendar.ListAfterAsync(null, null, null, 50, null, CancellationToken.None)).Select(x => x.Id), other.Contains);
            return 0;
        });
    }

    [Fact]
    public async Task KnowledgeSourcePages_AreNewestFirst_FilterByKind_AndStayInTheirBusiness()
    {
        var a = await app.CreateTenantAsync("Sources A Dental");
        var b = await app.CreateTenantAsync("Sources B Dental");
        var faq = await app.InTenantAsync(a.TenantId, async sp =>
            (await sp.GetRequiredService<KnowledgeService>().SaveFaqAsync(a.TenantId, null, "Do you park?", "Free parking behind the building.", null, CancellationToken.None)).DocumentId!.Value);
        var otherFaq = await app.InTenantAsync(b.TenantId, async sp =>
            (await sp.GetRequiredService<KnowledgeService>().SaveFaqAsync(b.TenantId, null, "Do you park?", "Street parking only.", null, CancellationToken.None)).DocumentId!.Value);

        await app.InTenantAsync(a.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var expected = await db.KnowledgeDocuments.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Select(d => d.Id).ToListAsync();
            var knowledge = sp.GetRequiredService<KnowledgeService>();
            var seen = new List<Guid>();
            (DateTimeOffset At, Guid Id)? after = null;
            while (true)
            {
                var page = await knowledge.ListSourcesAfterAsync(null, null, 2, after, CancellationToken.None);
                seen.AddRange(page.Select(r => r.Id));
                if (page.Count < 2)
                {
                    break;
                }

                after = (page[^1].CreatedAt, page[^1].Id);
            }

            Assert.Equal(expected, seen);
            Assert.Contains(faq, seen);
            Assert.DoesNotContain(otherFaq, seen);
            Assert.Empty(await knowledge.ListSourcesAfterAsync(KnowledgeKind.Url, null, 10, null, CancellationToken.None));
            Assert.All(await knowledge.ListSourcesAfterAsync(KnowledgeKind.Faq, KnowledgeStatus.Ready, 50, null, CancellationToken.None), r => Assert.Equal(KnowledgeKind.Faq, r.Kind));
            return 0;
        });
    }

    [Fact]
    public async Task HeldNumbers_AreTheTenantsOwn_AndAnyBusinessHasItsNameForAnAdmin()
    {
        var a = await app.CreateTenantAsync("Numbers A Dental");
        var b = await app.CreateTenantAsync("Numbers B Dental");
        await app.InTenantAsync(a.TenantId, async sp =>
        {
            var pool = sp.GetRequiredService<NumberPool>();
            var held = Assert.Single(await pool.ListHeldAsync(a.TenantId, CancellationToken.None));
            Assert.Equal(a.TenantId, held.TenantId);
            Assert.Equal(PhoneNumberStatus.Assigned, held.Status);
            Assert.DoesNotContain(await pool.ListHeldAsync(b.TenantId, CancellationToken.None), n => n.Id == held.Id);
            Assert.Empty(await pool.ListHeldAsync(null, CancellationToken.None));

            // An admin names any business; an unknown one has no name. A missing agency has no logo.
            Assert.Equal("Numbers B Dental", await sp.GetRequiredService<TenantAdministration>().NameAsync(b.TenantId, CancellationToken.None));
            Assert.Null(await sp.GetRequiredService<TenantAdministration>().NameAsync(Guid.NewGuid(), CancellationToken.None));
            Assert.Null(await sp.GetRequiredService<BrandResolver>().ImageAsync(Guid.NewGuid(), BrandImageKind.Logo, CancellationToken.None));
            return 0;
        });
    }
}
