using Bunit;
using Portal.Data.Entities;
using Portal.Web.Components.Pages.Bookings.Components;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Bookings;

/// <summary>The bookings calendar's week grid: days, today, closed days and hours, booking blocks.</summary>
public sealed class WeekCalendarTests : PortalTestContext
{
    private static readonly DateOnly Monday = new(2026, 12, 7);

    private static BusinessHours[] WeekdayHours(TimeOnly opens, TimeOnly closes) =>
        [.. new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
            .Select(d => new BusinessHours { DayOfWeek = d, Opens = opens, Closes = closes })];

    private IRenderedComponent<WeekCalendar> RenderWeek(
        IReadOnlyList<BusinessHours>? hours = null, IReadOnlyList<CalendarBooking>? bookings = null, IReadOnlyDictionary<DateOnly, string?>? closed = null, DateOnly? today = null) =>
        Render<WeekCalendar>(p => p
            .Add(c => c.WeekStart, Monday)
            .Add(c => c.Today, today ?? Monday.AddDays(2))
            .Add(c => c.Hours, hours ?? WeekdayHours(new(9, 0), new(17, 0)))
            .Add(c => c.Bookings, bookings ?? [])
            .Add(c => c.ClosedDates, closed ?? new Dictionary<DateOnly, string?>()));

    private static IEnumerable<int> Hours(IRenderedComponent<WeekCalendar> cut) =>
        cut.FindAll("[data-testid=week-cell]").Select(c => int.Parse(c.GetAttribute("data-hour")!, System.Globalization.CultureInfo.InvariantCulture)).Distinct();

    [Fact]
    public void Header_ShowsSevenDaysFromMonday()
    {
        var cut = RenderWeek();

        var days = cut.FindAll("[data-testid=week-day]");
        Assert.Equal(7, days.Count);
        Assert.Equal("2026-12-07", days[0].GetAttribute("data-date"));
        Assert.StartsWith("Mon 7", days[0].TextContent.Trim(), StringComparison.Ordinal);
        Assert.StartsWith("Sun 13", days[6].TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void Today_IsHighlighted_AndNoOtherDay()
    {
        var cut = RenderWeek(today: Monday.AddDays(2));

        var highlighted = cut.FindAll("[data-testid=week-day].week-today");
        Assert.Equal("2026-12-09", Assert.Single(highlighted).GetAttribute("data-date"));
    }

    [Fact]
    public void Rows_SpanTheBusinessHours_RoundingAPartHourClosingUp()
    {
        var cut = RenderWeek(hours: WeekdayHours(new(9, 0), new(17, 30)));

        Assert.Equal(Enumerable.Range(9, 9), Hours(cut)); // 9 AM .. the 5 PM row holding 5:00-5:30
        Assert.Equal("9 AM", cut.FindAll(".week-hour")[0].TextContent);
    }

    [Fact]
    public void WithoutHours_ShowsEightToSix()
    {
        var cut = RenderWeek(hours: []);

        Assert.Equal(Enumerable.Range(8, 10), Hours(cut));
    }

    [Fact]
    public void ABookingAfterHours_ExtendsTheGrid()
    {
        var late = new CalendarBooking(Guid.NewGuid(), new DateTime(2026, 12, 8, 19, 0, 0), new DateTime(2026, 12, 8, 20, 0, 0), "Cleaning", "Ann Lee");

        var cut = RenderWeek(bookings: [late]);

        Assert.Equal(19, Hours(cut).Max());
        var cell = cut.Find("[data-testid=week-cell][data-date='2026-12-08'][data-hour='19']");
        Assert.Single(cell.QuerySelectorAll("[data-testid=calendar-booking]"));
    }

    [Fact]
    public void Booking_ShowsTimeServiceAndCustomer_InItsStartCell()
    {
        var booking = new CalendarBooking(Guid.NewGuid(), new DateTime(2026, 12, 9, 10, 30, 0), new DateTime(2026, 12, 9, 12, 0, 0), "Whitening", "Bo Park");

        var cut = RenderWeek(bookings: [booking]);

        var block = cut.Find("[data-testid=calendar-booking]");
        Assert.Equal("10", block.ParentElement!.GetAttribute("data-hour"));
        Assert.Equal("2026-12-09", block.ParentElement!.GetAttribute("data-date"));
        Assert.Contains("Whitening", block.TextContent, StringComparison.Ordinal);
        Assert.Contains("Bo Park", block.TextContent, StringComparison.Ordinal);
        Assert.Contains("10:30", block.TextContent, StringComparison.Ordinal);
        // 30 minutes into a 48 px row, 90 minutes tall (minus the 2 px gap).
        Assert.Equal("top:24px;height:70px", block.GetAttribute("style"));
    }

    [Fact]
    public void ClosedDate_ShowsItsReason_AndClosesEveryHour()
    {
        var cut = RenderWeek(closed: new Dictionary<DateOnly, string?> { [Monday.AddDays(3)] = "Staff training" });

        var day = cut.Find("[data-testid=week-day][data-date='2026-12-10']");
        Assert.Equal("Staff training", day.QuerySelector(".week-closed-reason")!.TextContent);
        var cells = cut.FindAll("[data-testid=week-cell][data-date='2026-12-10']");
        Assert.All(cells, c => Assert.Contains("week-closed", c.ClassList));
        Assert.DoesNotContain("week-closed", cut.Find("[data-testid=week-cell][data-date='2026-12-09'][data-hour='10']").ClassList);
    }

    [Fact]
    public void ClosedDateWithoutReason_SaysClosed()
    {
        var cut = RenderWeek(closed: new Dictionary<DateOnly, string?> { [Monday] = null });

        Assert.Equal("Closed", cut.Find("[data-testid=week-day][data-date='2026-12-07'] .week-closed-reason").TextContent);
    }

    [Fact]
    public void Weekend_WithoutHours_IsClosedAllDay()
    {
        var cut = RenderWeek();

        Assert.All(cut.FindAll("[data-testid=week-cell][data-date='2026-12-12']"), c => Assert.Contains("week-closed", c.ClassList));
        Assert.All(cut.FindAll("[data-testid=week-cell][data-date='2026-12-13']"), c => Assert.Contains("week-closed", c.ClassList));
    }

    [Fact]
    public void PartHourClosing_HatchesOnlyTheClosedHalf()
    {
        var cut = RenderWeek(hours: WeekdayHours(new(9, 0), new(17, 30)));

        var cell = cut.Find("[data-testid=week-cell][data-date='2026-12-07'][data-hour='17']");
        Assert.DoesNotContain("week-closed", cell.ClassList);
        var hatch = cell.QuerySelector(".week-closed")!;
        Assert.Contains("top:50%;height:50%", hatch.GetAttribute("style"), StringComparison.Ordinal);
    }

    [Fact]
    public void NewBookingsParameter_ReplacesTheBlocks()
    {
        var first = new CalendarBooking(Guid.NewGuid(), new DateTime(2026, 12, 7, 9, 0, 0), new DateTime(2026, 12, 7, 10, 0, 0), "Exam", "Cy Diaz");
        var second = new CalendarBooking(Guid.NewGuid(), new DateTime(2026, 12, 8, 14, 0, 0), new DateTime(2026, 12, 8, 15, 0, 0), "Filling", "Di Eng");
        var cut = RenderWeek(bookings: [first]);

        cut.Render(p => p.Add(c => c.Bookings, new[] { second }));

        var block = cut.Find("[data-testid=calendar-booking]");
        Assert.Contains("Filling", block.TextContent, StringComparison.Ordinal);
        Assert.Equal("2026-12-08", block.ParentElement!.GetAttribute("data-date"));
    }

    [Fact]
    public void ABookingBeforeOpening_ExtendsTheGridUpward()
    {
        var early = new CalendarBooking(Guid.NewGuid(), new DateTime(2026, 12, 7, 7, 0, 0), new DateTime(2026, 12, 7, 7, 30, 0), "Emergency", "Ed Fox");

        var cut = RenderWeek(bookings: [early]);

        Assert.Equal(7, Hours(cut).Min());
        Assert.Single(cut.Find("[data-testid=week-cell][data-date='2026-12-07'][data-hour='7']").QuerySelectorAll("[data-testid=calendar-booking]"));
    }

    [Fact]
    public void TwoBookingsInOneHour_AreShownInStartOrder()
    {
        var later = new CalendarBooking(Guid.NewGuid(), new DateTime(2026, 12, 7, 10, 30, 0), new DateTime(2026, 12, 7, 11, 0, 0), "Later", "B");
        var earlier = new CalendarBooking(Guid.NewGuid(), new DateTime(2026, 12, 7, 10, 0, 0), new DateTime(2026, 12, 7, 10, 30, 0), "Earlier", "A");

        var cut = RenderWeek(bookings: [later, earlier]);

        var blocks = cut.Find("[data-testid=week-cell][data-date='2026-12-07'][data-hour='10']").QuerySelectorAll("[data-testid=calendar-booking]");
        Assert.Equal(["Earlier", "Later"], blocks.Select(b => b.TextContent.Contains("Earlier", StringComparison.Ordinal) ? "Earlier" : "Later"));
    }

    [Fact]
    public void BookingTooltip_GivesTheTimeRangeServiceAndCustomer()
    {
        var booking = new CalendarBooking(Guid.NewGuid(), new DateTime(2026, 12, 9, 10, 30, 0), new DateTime(2026, 12, 9, 12, 0, 0), "Whitening", "Bo Park");

        var cut = RenderWeek(bookings: [booking]);

        var title = cut.Find("[data-testid=calendar-booking]").GetAttribute("title")!;
        Assert.Matches("^10:30.*–12:00.* Whitening · Bo Park$", title);
    }
}
