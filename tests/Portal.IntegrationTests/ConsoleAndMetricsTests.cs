using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Domain.Onboarding;
using Portal.IntegrationTests.Infrastructure;
using Portal.Jobs.Conversations;

namespace Portal.IntegrationTests;

/// <summary>Test conversations (console, browser call) apart from real ones, idle chats ended, console suggestions.</summary>
public sealed class ConsoleAndMetricsTests(PortalAppFactory app) : IClassFixture<PortalAppFactory>
{
    private async Task<List<Conversation>> ConversationsAsync(Guid tenantId) => await app.InTenantAsync(tenantId, async sp =>
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Conversations.AsNoTracking().ToListAsync();
    });

    /// <summary>Adds finished conversations directly (test setup): <paramref name="outcomes"/> one each, started now.</summary>
    private Task AddAsync(TestTenant tenant, bool isTest, params ConversationOutcome[] outcomes) => app.InTenantAsync(tenant.TenantId, async sp =>
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow;
        foreach (var outcome in outcomes)
        {
            db.Conversations.Add(new Conversation
            {
                TenantId = tenant.TenantId, AgentPersonaId = tenant.AgentId, Channel = isTest ? Channel.Test : Channel.WebChat, IsTest = isTest,
                StartedAt = now.AddMinutes(-10), EndedAt = now.AddMinutes(-5), Outcome = outcome, TurnCount = 3,
            });
        }

        return await db.SaveChangesAsync();
    });

    [Fact]
    public async Task ConsoleGreeting_StoresNothing_TheFirstMessageOpensATestConversation()
    {
        var tenant = await app.CreateTenantAsync("Console Dental");
        var (greeting, afterGreeting) = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            var greeting = await sp.GetRequiredService<ConversationService>().GreetingAsync(CancellationToken.None);
            return (greeting, (await ConversationsAsync(tenant.TenantId)).Count);
        });
        Assert.Contains("Console Dental", greeting, StringComparison.Ordinal);
        Assert.Equal(0, afterGreeting);

        var id = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            var conversations = sp.GetRequiredService<ConversationService>();
            var started = await conversations.StartTestAsync(Channel.Test, CancellationToken.None);
            await conversations.ProcessTurnAsync(started.ConversationId, "What are your opening hours?", CancellationToken.None);
            return started.ConversationId;
        });

        var stored = Assert.Single(await ConversationsAsync(tenant.TenantId));
        Assert.Equal(id, stored.Id);
        Assert.True(stored.IsTest);
        Assert.Equal(greeting, (await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.Turns.Where(t => t.ConversationId == id && t.Sequence == 0).Select(t => t.Text).SingleAsync();
        })));
        Assert.Equal(3, stored.TurnCount);
    }

    [Theory]
    [InlineData(Channel.Test, true)]
    [InlineData(Channel.WebChat, false)]
    [InlineData(Channel.Voice, false)]
    public async Task Start_MarksOnlyTheConsoleChannelAsTest(Channel channel, bool isTest)
    {
        var tenant = await app.CreateTenantAsync($"Start {channel} Dental");
        await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<ConversationService>().StartAsync(channel, null, CancellationToken.None));
        Assert.Equal(isTest, Assert.Single(await ConversationsAsync(tenant.TenantId)).IsTest);
    }

    [Fact]
    public async Task BookingRate_CountsTestConversationsApart_AndOnlyTheTenantsOwn()
    {
        var tenant = await app.CreateTenantAsync("Rate Dental");
        var other = await app.CreateTenantAsync("Rate Other Dental");
        await AddAsync(tenant, false, ConversationOutcome.Booked, ConversationOutcome.Answered, ConversationOutcome.Answered, ConversationOutcome.Abandoned);
        await AddAsync(tenant, true, ConversationOutcome.Booked, ConversationOutcome.Booked, ConversationOutcome.Answered);
        await AddAsync(other, false, ConversationOutcome.Booked, ConversationOutcome.Booked, ConversationOutcome.Booked);

        var rate = await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<ConversationMetrics>().BookingRateAsync(DateTimeOffset.UtcNow.AddDays(-7), CancellationToken.None));

        Assert.Equal(new BookingRate(4, 1, 3, 2), rate);
        Assert.Equal(0.25, rate.Rate);
    }

    [Fact]
    public async Task Dashboard_BookingRate_LeavesTestsOut_AndSaysHowManyWereLeftOut()
    {
        var tenant = await app.CreateTenantAsync("Dashboard Rate Dental");
        await AddAsync(tenant, false, ConversationOutcome.Booked, ConversationOutcome.Answered);
        await AddAsync(tenant, true, ConversationOutcome.Booked, ConversationOutcome.Booked, ConversationOutcome.Booked);
        using var owner = await app.SignInAsync(tenant.Email, tenant.Password);

        var html = await owner.GetStringAsync("/");

        var start = html.IndexOf("data-testid=\"kpi-booking-rate\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "no booking-rate figure on the dashboard");
        var end = html.IndexOf("data-testid=\"kpi-latency\"", start, StringComparison.Ordinal); // the next figure
        var text = Regex.Replace(html[start..(end < 0 ? html.Length : end)], "<[^>]+>", " ");
        Assert.Contains("50%", text, StringComparison.Ordinal); // 1 of 2 real; with the tests it would be 80%
        Assert.Contains("1 of 2 conversations", text, StringComparison.Ordinal);
        Assert.Contains("3 tests not counted (3 booked)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CloseIdleChats_EndsChatsIdle30Minutes_WithTheirOutcome_AndLeavesActiveChatsAndCallsAlone()
    {
        var alpha = await app.CreateTenantAsync("Idle Alpha Dental");
        var bravo = await app.CreateTenantAsync("Idle Bravo Dental");
        var ids = new Dictionary<string, Guid>();
        foreach (var (name, tenant, channel) in new[]
        {
            ("idle", alpha, Channel.WebChat), ("idle-console", bravo, Channel.Test), ("idle-booked", alpha, Channel.WebChat),
            ("active", alpha, Channel.WebChat), ("recent", bravo, Channel.Test), ("call", alpha, Channel.Voice),
        })
        {
            ids[name] = await app.InTenantAsync(tenant.TenantId, async sp =>
            {
                var conversations = sp.GetRequiredService<ConversationService>();
                var started = await conversations.StartAsync(channel, null, CancellationToken.None);
                await conversations.ProcessTurnAsync(started.ConversationId, "hello", CancellationToken.None);
                return started.ConversationId;
            });
        }

        var now = DateTimeOffset.UtcNow;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            // Test setup across tenants: age the conversations directly (31 minutes idle, 29 for the recent one).
            Guid[] aged = [ids["idle"], ids["idle-console"], ids["idle-booked"], ids["call"]];
            await db.Conversations.IgnoreQueryFilters().Where(c => aged.Contains(c.Id)).ExecuteUpdateAsync(s => s.SetProperty(c => c.UpdatedAt, now.AddMinutes(-31)));
            await db.Conversations.IgnoreQueryFilters().Where(c => c.Id == ids["recent"]).ExecuteUpdateAsync(s => s.SetProperty(c => c.UpdatedAt, now.AddMinutes(-29)));
            await db.Conversations.IgnoreQueryFilters().Where(c => c.Id == ids["idle"] || c.Id == ids["idle-console"]).ExecuteUpdateAsync(s => s.SetProperty(c => c.Outcome, ConversationOutcome.InProgress));
            await db.Conversations.IgnoreQueryFilters().Where(c => c.Id == ids["idle-booked"]).ExecuteUpdateAsync(s => s.SetProperty(c => c.Outcome, ConversationOutcome.Booked));
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var job = scope.ServiceProvider.GetRequiredService<CloseIdleChatsJob>();
            Assert.Equal(30, job.IdleMinutes);
            Assert.True(await job.RunAsync(CancellationToken.None) >= 3);
            Assert.Equal(0, await job.RunAsync(CancellationToken.None)); // safe to run twice
        }

        var all = (await ConversationsAsync(alpha.TenantId)).Concat(await ConversationsAsync(bravo.TenantId)).ToDictionary(c => c.Id);
        Assert.Equal(ConversationOutcome.Abandoned, all[ids["idle"]].Outcome); // nothing settled: the visitor left
        Assert.NotNull(all[ids["idle"]].EndedAt);
        Assert.Equal(ConversationOutcome.Abandoned, all[ids["idle-console"]].Outcome); // every tenant's chats
        Assert.NotNull(all[ids["idle-console"]].EndedAt);
        Assert.Equal(ConversationOutcome.Booked, all[ids["idle-booked"]].Outcome); // its outcome is kept
        Assert.NotNull(all[ids["idle-booked"]].EndedAt);
        Assert.Null(all[ids["active"]].EndedAt);
        Assert.Null(all[ids["recent"]].EndedAt);
        Assert.Null(all[ids["call"]].EndedAt); // calls are the orphaned-calls job's
        Assert.Equal(3, all[ids["idle"]].TurnCount);
    }

    [Fact]
    public async Task ConsoleSuggestions_ForASalon_ComeFromItsServicesHoursAndFaqs_NeverADentalOne()
    {
        var salon = await app.CreateTenantAsync("Suggest Salon", Industry.Salon);
        await app.CreateTenantAsync("Suggest Neighbour Dental");

        var suggestions = await app.InTenantAsync(salon.TenantId, sp => sp.GetRequiredService<ConsoleSuggestions>().ForCurrentTenantAsync(CancellationToken.None));
        var all = string.Join(" | ", suggestions.Select(s => s.Text));

        var salonTemplate = VerticalTemplates.For(Industry.Salon);
        var book = Assert.Single(suggestions, s => s.Kind == SuggestionKind.Book).Text;
        Assert.Contains(salonTemplate.Services.OrderBy(s => s.Name, StringComparer.Ordinal).First().Name.ToLowerInvariant(), book, StringComparison.Ordinal);
        Assert.Matches("tomorrow at 9am$", book); // the test tenant opens 8-20 every day: an hour after opening
        Assert.Contains(suggestions, s => s.Kind == SuggestionKind.Price && salonTemplate.Services.Any(t => s.Text.Contains(t.Name, StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(ConsoleSuggestions.MaxQuestions, suggestions.Count(s => s.Kind == SuggestionKind.Question && salonTemplate.Faqs.Any(f => f.Question == s.Text)));
        Assert.Contains(suggestions, s => s.Kind == SuggestionKind.Hours && s.Text == "What time do you close on Sunday?");
        var dental = VerticalTemplates.For(Industry.Dental);
        var dentalWords = dental.Services.SelectMany(s => s.Keywords.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Append(s.Name))
            .Concat(dental.Faqs.Select(f => f.Question)).Where(w => w.Length > 3)
            // Words and questions the salon has itself ("What is your cancellation policy?" is in both templates) are its own.
            .Where(w => !salonTemplate.Services.Any(s => s.Name.Contains(w, StringComparison.OrdinalIgnoreCase) || s.Keywords.Contains(w, StringComparison.OrdinalIgnoreCase))
                && !salonTemplate.Faqs.Any(f => f.Question.Equals(w, StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain(dentalWords, w => all.Contains(w, StringComparison.OrdinalIgnoreCase));
    }
}
