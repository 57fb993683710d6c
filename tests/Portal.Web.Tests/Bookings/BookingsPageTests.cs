using Bunit;
using Portal.Web.Components.Pages.Bookings;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Bookings;

/// <summary>The bookings page on the real services: the empty week and moving between weeks.</summary>
public sealed class BookingsPageTests : PortalTestContext, IClassFixture<PortalServicesFixture>
{
    private readonly PortalServicesFixture _app;

    public BookingsPageTests(PortalServicesFixture fixture)
        : base(fixture) => _app = fixture;

    private async Task<IRenderedComponent<BookingsPage>> RenderPageAsync()
    {
        await _app.CreateTenantAsync("Calendar Dental");
        RenderWithProviders();
        var cut = Render<BookingsPage>();
        // The grid renders before the week is known (year 1); wait for the loaded week.
        cut.WaitForAssertion(() => Assert.True(DateOnly.Parse(cut.Find("[data-testid=week-day]").GetAttribute("data-date")!, System.Globalization.CultureInfo.InvariantCulture).Year > 2000));
        return cut;
    }

    [Fact]
    public async Task NewBusiness_SeesAnEmptyWeek()
    {
        var cut = await RenderPageAsync();

        cut.WaitForAssertion(() => Assert.Equal("No bookings this week.", cut.Find("[data-testid=week-empty]").TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-testid=calendar-booking]"));
    }

    [Fact]
    public async Task NextWeek_MovesTheCalendarSevenDays_AndThisWeekComesBack()
    {
        var cut = await RenderPageAsync();
        var firstDay = DateOnly.Parse(cut.Find("[data-testid=week-day]").GetAttribute("data-date")!, System.Globalization.CultureInfo.InvariantCulture);
        var label = cut.Find("[data-testid=week-label]").TextContent;

        cut.ClickSettled("[data-testid=week-next]");

        cut.WaitForAssertion(() => Assert.Equal(firstDay.AddDays(7).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), cut.Find("[data-testid=week-day]").GetAttribute("data-date")));
        Assert.NotEqual(label, cut.Find("[data-testid=week-label]").TextContent);

        cut.ClickSettled("[data-testid=week-this]");

        cut.WaitForAssertion(() => Assert.Equal(label, cut.Find("[data-testid=week-label]").TextContent));
    }

    [Fact]
    public async Task TheWeekStartsOnAMonday()
    {
        var cut = await RenderPageAsync();

        var firstDay = DateOnly.Parse(cut.Find("[data-testid=week-day]").GetAttribute("data-date")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(DayOfWeek.Monday, firstDay.DayOfWeek);
    }
}
