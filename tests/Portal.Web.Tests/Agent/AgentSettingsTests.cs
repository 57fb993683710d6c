using Bunit;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Components.Pages.Agent;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Agent;

/// <summary>The Agent page on the real services: loading the agent, validation, what saving stores, empty state.</summary>
public sealed class AgentSettingsTests : PortalTestContext, IClassFixture<PortalServicesFixture>
{
    private readonly PortalServicesFixture _app;

    public AgentSettingsTests(PortalServicesFixture fixture)
        : base(fixture) => _app = fixture;

    private async Task<IRenderedComponent<AgentSettings>> RenderPageAsync(string business = "Bright Smile Dental")
    {
        await _app.CreateTenantAsync(business);
        RenderWithProviders();
        var cut = Render<AgentSettings>();
        cut.WaitForElement("[data-testid=agent-form]");
        return cut;
    }

    [Fact]
    public async Task Loads_TheAgent_AndPreviewsTheGreetingWithTheBusinessName()
    {
        var cut = await RenderPageAsync("Maple Street Dental");

        var agentName = await _app.DbAsync(db => db.AgentPersonas.Select(a => a.Name).FirstAsync());
        Assert.Equal(agentName, cut.Input("agent-name").GetAttribute("value"));
        Assert.Contains("Maple Street Dental", cut.Find("[data-testid=greeting-preview-text]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("{businessName}", cut.Find("[data-testid=greeting-preview-text]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TypingAName_UpdatesWhatCallersHearCaption()
    {
        var cut = await RenderPageAsync();

        await cut.Input("agent-name").InputAsync("Rosa");

        cut.WaitForAssertion(() => Assert.StartsWith("Rosa · ", cut.Find("[data-testid=greeting-preview] .mud-typography-caption").TextContent.Trim(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClearingTheName_ShowsItsValidationMessage()
    {
        var cut = await RenderPageAsync();

        await cut.Input("agent-name").InputAsync("");

        cut.WaitForAssertion(() => Assert.Contains("Give your agent a name", cut.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task InvalidTransferNumber_IsRefused_AndNothingIsSaved()
    {
        var cut = await RenderPageAsync();
        var before = await _app.DbAsync(db => db.AgentPersonas.Select(a => a.TransferNumber).FirstAsync());

        await cut.Input("agent-transfer").ChangeAsync("12");
        cut.ClickSettled("[data-testid=agent-save]");

        cut.WaitForAssertion(() => Assert.Contains("Enter a valid phone number", cut.Markup, StringComparison.Ordinal));
        var providers = RenderWithProviders();
        providers.WaitForAssertion(() => Assert.Contains("Please fix the highlighted fields.", providers.Markup, StringComparison.Ordinal));
        Assert.Equal(before, await _app.DbAsync(db => db.AgentPersonas.Select(a => a.TransferNumber).FirstAsync()));
    }

    [Fact]
    public async Task Save_StoresTheNameAndTheTransferNumberInE164()
    {
        var cut = await RenderPageAsync();

        await cut.Input("agent-name").InputAsync("Rosa");
        await cut.Input("agent-transfer").ChangeAsync("(212) 555-0142");
        cut.ClickSettled("[data-testid=agent-save]");

        var providers = RenderWithProviders();
        providers.WaitForAssertion(() => Assert.Contains("Agent saved.", providers.Markup, StringComparison.Ordinal));
        var saved = await _app.DbAsync(db => db.AgentPersonas.Select(a => new { a.Name, a.TransferNumber }).FirstAsync());
        Assert.Equal("Rosa", saved.Name);
        Assert.Equal("+12125550142", saved.TransferNumber);
    }

    [Fact]
    public async Task TemperatureAboveTheRange_IsClampedToTwo_WhenSaved()
    {
        var cut = await RenderPageAsync();

        await cut.Input("agent-llm-temperature").ChangeAsync("3");
        cut.ClickSettled("[data-testid=agent-save]");

        var providers = RenderWithProviders();
        providers.WaitForAssertion(() => Assert.Contains("Agent saved.", providers.Markup, StringComparison.Ordinal));
        Assert.Equal(2, await _app.DbAsync(db => db.AgentPersonas.Select(a => a.LlmTemperature).FirstAsync()));
    }

    [Fact]
    public async Task OfflineOnly_DisablesTheModelOverride()
    {
        var cut = await RenderPageAsync();
        Assert.False(cut.Input("agent-llm-model").HasAttribute("disabled"));

        await cut.Input("agent-offline-only").ChangeAsync(true);

        cut.WaitForAssertion(() => Assert.True(cut.Input("agent-llm-model").HasAttribute("disabled")));
    }

    [Fact]
    public async Task BusinessWithoutAnAgent_SeesTheEmptyState()
    {
        await _app.CreateTenantAsync("No Agent Yet Salon");
        await _app.DbAsync(db => db.AgentPersonas.ExecuteDeleteAsync());

        var cut = Render<AgentSettings>();

        cut.WaitForAssertion(() => Assert.Contains("No agent yet", cut.Markup, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=agent-form]"));
    }
}
