using Bunit;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Components.Shared;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Console;

/// <summary>The chat console on the real conversation service (offline dialogue engine): greeting, sending, restarting.</summary>
public sealed class ChatConsoleTests : PortalTestContext, IClassFixture<PortalServicesFixture>
{
    private readonly PortalServicesFixture _app;

    public ChatConsoleTests(PortalServicesFixture fixture)
        : base(fixture) => _app = fixture;

    private async Task<IRenderedComponent<ChatConsole>> RenderConsoleAsync(string business)
    {
        await _app.CreateTenantAsync(business);
        await _app.DbAsync(async db =>
        {
            var agent = await db.AgentPersonas.FirstAsync();
            agent.IsLive = true;
            return await db.SaveChangesAsync();
        });
        RenderWithProviders();
        var cut = Render<ChatConsole>(p => p.Add(c => c.WordDelayMs, 0));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=agent-message][data-complete=true]")), TimeSpan.FromSeconds(30));
        return cut;
    }

    [Fact]
    public async Task Opens_WithTheAgentsGreeting_NamingTheBusiness()
    {
        var cut = await RenderConsoleAsync("Harbor View Dental");

        Assert.Contains("Harbor View Dental", cut.Find("[data-testid=agent-message]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=customer-message]"));
    }

    [Fact]
    public async Task Send_IsDisabledUntilSomethingIsTyped()
    {
        var cut = await RenderConsoleAsync("Quiet Dental");
        Assert.True(cut.Find("[data-testid=chat-send]").HasAttribute("disabled"));

        await cut.Find("#chat-input").InputAsync("Hello");

        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=chat-send]").HasAttribute("disabled")));
    }

    [Fact]
    public async Task SendingAQuestion_ShowsItAndTheAgentsAnswer()
    {
        var cut = await RenderConsoleAsync("Answering Dental");

        await cut.Find("#chat-input").InputAsync("What are your opening hours?");
        cut.ClickSettled("[data-testid=chat-send]");

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=agent-message][data-complete=true]").Count), TimeSpan.FromSeconds(30));
        Assert.Equal("What are your opening hours?", cut.Find("[data-testid=customer-message]").TextContent);
        Assert.False(string.IsNullOrWhiteSpace(cut.FindAll("[data-testid=agent-message]")[1].TextContent));
        Assert.Equal("", cut.Find("#chat-input").GetAttribute("value") ?? "");
    }

    [Fact]
    public async Task NewConversation_StartsOverWithOnlyTheGreeting()
    {
        var cut = await RenderConsoleAsync("Restart Dental");
        await cut.Find("#chat-input").InputAsync("Do you take walk-ins?");
        cut.ClickSettled("[data-testid=chat-send]");
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=agent-message][data-complete=true]").Count), TimeSpan.FromSeconds(30));

        cut.ClickSettled("[data-testid=new-conversation]");

        cut.WaitForAssertion(() =>
        {
            Assert.Single(cut.FindAll("[data-testid=agent-message][data-complete=true]"));
            Assert.Empty(cut.FindAll("[data-testid=customer-message]"));
        }, TimeSpan.FromSeconds(30));
    }
}
