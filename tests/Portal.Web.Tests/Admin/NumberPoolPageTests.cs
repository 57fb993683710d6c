using Bunit;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Components.Pages.Admin;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Admin;

/// <summary>The admin number pool on the real pool services: every number across businesses, filtering, empty result.</summary>
public sealed class NumberPoolPageTests : PortalTestContext, IClassFixture<PortalServicesFixture>
{
    private readonly PortalServicesFixture _app;

    public NumberPoolPageTests(PortalServicesFixture fixture)
        : base(fixture) => _app = fixture;

    [Fact]
    public async Task ListsThePoolsNumbers()
    {
        var total = await _app.DbAsync(db => db.PhoneNumbers.IgnoreQueryFilters().CountAsync());
        Assert.True(total > 0);
        RenderWithProviders();

        var cut = Render<NumberPoolPage>();

        cut.WaitForAssertion(() => Assert.Equal(Math.Min(25, total), cut.FindAll("[data-testid=number-e164]").Count), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task DigitsFilter_NarrowsToTheMatchingNumber()
    {
        var e164 = await _app.DbAsync(db => db.PhoneNumbers.IgnoreQueryFilters().OrderBy(n => n.E164).Select(n => n.E164).FirstAsync());
        RenderWithProviders();
        var cut = Render<NumberPoolPage>();
        cut.WaitForElement("[data-testid=number-e164]");

        // The field reports its value after a 350 ms debounce timer; raise that report directly so the test does not race the timer.
        await SetFilterAsync(cut, "filter-digits", e164[1..]);

        cut.WaitForAssertion(() => Assert.Equal(e164, Assert.Single(cut.FindAll("[data-testid=number-e164]")).TextContent.Trim()), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task DigitsWithoutAMatch_ShowNoNumbersFound()
    {
        RenderWithProviders();
        var cut = Render<NumberPoolPage>();
        cut.WaitForElement("[data-testid=number-e164]");

        await SetFilterAsync(cut, "filter-digits", "0000000");

        cut.WaitForAssertion(() => Assert.Contains("No numbers found", cut.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    private static Task SetFilterAsync(IRenderedComponent<NumberPoolPage> cut, string testId, string value)
    {
        var field = cut.FindComponents<MudBlazor.MudTextField<string>>()
            .Single(f => f.Instance.UserAttributes.TryGetValue("data-testid", out var id) && Equals(id, testId));
        return cut.InvokeAsync(() => field.Instance.ValueChanged.InvokeAsync(value));
    }
}
