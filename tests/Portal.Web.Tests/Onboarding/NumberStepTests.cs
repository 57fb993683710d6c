using Bunit;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Entities;
using Portal.Web.Components.Pages.Onboarding;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Onboarding;

/// <summary>Wizard step "your number" on the real pool: the list, picking, filtering to nothing.</summary>
public sealed class NumberStepTests : PortalTestContext, IClassFixture<PortalServicesFixture>
{
    private readonly PortalServicesFixture _app;
    private PhoneNumber? _picked;

    public NumberStepTests(PortalServicesFixture fixture)
        : base(fixture) => _app = fixture;

    private IRenderedComponent<NumberStep> RenderStep(PhoneNumber? selected = null) =>
        Render<NumberStep>(p => p.Add(c => c.Selected, selected).Add(c => c.SelectedChanged, n => _picked = n));

    [Fact]
    public async Task ListsAvailablePoolNumbers()
    {
        await _app.CreateTenantAsync();
        var available = await _app.DbAsync(db => db.PhoneNumbers.IgnoreQueryFilters().CountAsync(n => n.Status == PhoneNumberStatus.Available));
        Assert.True(available > 0);

        var cut = RenderStep();

        cut.WaitForAssertion(() => Assert.Equal(Math.Min(24, available), cut.FindAll("[data-testid=pool-number]").Count));
    }

    [Fact]
    public async Task PickingANumber_ReportsIt()
    {
        await _app.CreateTenantAsync();
        var cut = RenderStep();
        cut.WaitForElement("[data-testid=pick-number]");

        cut.ClickSettled("[data-testid=pick-number]", 0);

        cut.WaitForAssertion(() => Assert.NotNull(_picked));
        Assert.StartsWith("+", _picked!.E164, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SelectedNumber_IsShownAsHeld_AndMarkedSelected()
    {
        await _app.CreateTenantAsync();
        // The first number the step lists (by E.164, 24 at most): a row taken in the table's own order may not be listed.
        var number = await _app.DbAsync(db => db.PhoneNumbers.IgnoreQueryFilters().Where(n => n.Status == PhoneNumberStatus.Available).OrderBy(n => n.E164).FirstAsync());

        var cut = RenderStep(number);

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("Held for you", cut.Find("[data-testid=held-number]").TextContent, StringComparison.Ordinal);
            Assert.Contains(cut.FindAll("[data-testid=pick-number]"), b => b.TextContent.Trim() == "Selected");
        });
    }

    [Fact]
    public async Task AreaCodeWithoutNumbers_ShowsTheEmptyState()
    {
        await _app.CreateTenantAsync();
        var cut = RenderStep();
        cut.WaitForElement("[data-testid=pool-number]");

        await cut.Find("#area-code").InputAsync("999");

        cut.WaitForAssertion(() => Assert.Contains("No numbers available", cut.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Empty(cut.FindAll("[data-testid=pool-number]"));
    }

    [Fact]
    public async Task PickingAnotherNumber_ReportsThatOne()
    {
        await _app.CreateTenantAsync();
        var cut = RenderStep();
        cut.WaitForAssertion(() => Assert.True(cut.FindAll("[data-testid=pick-number]").Count > 1));
        var second = cut.FindAll("[data-testid=pool-number]")[1].QuerySelector(".mud-typography-h6")!.TextContent.Trim();

        cut.ClickSettled("[data-testid=pick-number]", 1);

        cut.WaitForAssertion(() => Assert.NotNull(_picked));
        Assert.Equal(second, Portal.Domain.Numbers.E164.Display(_picked!.E164));
    }
}
