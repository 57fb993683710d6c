using Portal.Domain.Conversations.Understanding;

namespace Portal.Domain.Tests.Understanding;

public sealed class TemporalParserTests
{
    /// <summary>Monday 2026-11-23 09:15, the business's local time.</summary>
    private static readonly DateTime MondayMorning = new(2026, 11, 23, 9, 15, 0);

    private static DateOnly? D(string? iso) => iso is null ? null : DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    private static TimeOnly? T(string? hhmm) => hhmm is null ? null : TimeOnly.Parse(hhmm, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("tomorrow at 3", "2026-11-24", "15:00", PartOfDay.None, true)]
    [InlineData("tomorrow at 10am", "2026-11-24", "10:00", PartOfDay.None, false)]
    [InlineData("tomorrow at 10 am", "2026-11-24", "10:00", PartOfDay.None, false)]
    [InlineData("10:30", null, "10:30", PartOfDay.None, true)]
    [InlineData("10.30am", null, "10:30", PartOfDay.None, false)]
    [InlineData("at ten thirty", null, "10:30", PartOfDay.None, true)]
    [InlineData("half past ten", null, "10:30", PartOfDay.None, true)]
    [InlineData("quarter past 2", null, "14:15", PartOfDay.None, true)]
    [InlineData("quarter to four", null, "15:45", PartOfDay.None, true)]
    [InlineData("ten to five", null, "16:50", PartOfDay.None, true)]
    [InlineData("noon", null, "12:00", PartOfDay.None, false)]
    [InlineData("midday works", null, "12:00", PartOfDay.None, false)]
    [InlineData("midnight", null, "00:00", PartOfDay.None, false)]
    [InlineData("3pm", null, "15:00", PartOfDay.None, false)]
    [InlineData("3 p.m.", null, "15:00", PartOfDay.None, false)]
    [InlineData("15:00", null, "15:00", PartOfDay.None, false)]
    [InlineData("12 pm", null, "12:00", PartOfDay.None, false)]
    [InlineData("12 am", null, "00:00", PartOfDay.None, false)]
    [InlineData("around 10 pm", null, "22:00", PartOfDay.None, false)]
    [InlineData("next Tuesday morning", "2026-11-24", null, PartOfDay.Morning, false)]
    [InlineData("this Friday", "2026-11-27", null, PartOfDay.None, false)]
    [InlineData("Friday afternoon", "2026-11-27", null, PartOfDay.Afternoon, false)]
    [InlineData("on Monday", "2026-11-23", null, PartOfDay.None, false)]
    [InlineData("next Monday", "2026-11-30", null, PartOfDay.None, false)]
    [InlineData("the 5th at half past ten", "2026-12-05", "10:30", PartOfDay.None, true)]
    [InlineData("on the 12th", "2026-12-12", null, PartOfDay.None, false)]
    [InlineData("the 23rd", "2026-11-23", null, PartOfDay.None, false)]
    [InlineData("the 28th please", "2026-11-28", null, PartOfDay.None, false)]
    [InlineData("December 5th", "2026-12-05", null, PartOfDay.None, false)]
    [InlineData("5th of December", "2026-12-05", null, PartOfDay.None, false)]
    [InlineData("Dec 5", "2026-12-05", null, PartOfDay.None, false)]
    [InlineData("12/5", "2026-12-05", null, PartOfDay.None, false)]
    [InlineData("March 3", "2027-03-03", null, PartOfDay.None, false)]
    [InlineData("the fifth", "2026-12-05", null, PartOfDay.None, false)]
    [InlineData("the twenty first", "2026-12-21", null, PartOfDay.None, false)]
    [InlineData("the twenty-first of January", "2027-01-21", null, PartOfDay.None, false)]
    [InlineData("Friday the 27th", "2026-11-27", null, PartOfDay.None, false)]
    [InlineData("today", "2026-11-23", null, PartOfDay.None, false)]
    [InlineData("tonight", "2026-11-23", null, PartOfDay.Evening, false)]
    [InlineData("this evening", "2026-11-23", null, PartOfDay.Evening, false)]
    [InlineData("tomorrow night", "2026-11-24", null, PartOfDay.Evening, false)]
    [InlineData("day after tomorrow", "2026-11-25", null, PartOfDay.None, false)]
    [InlineData("in two days", "2026-11-25", null, PartOfDay.None, false)]
    [InlineData("in a week", "2026-11-30", null, PartOfDay.None, false)]
    [InlineData("first thing in the morning", null, null, PartOfDay.Morning, false)]
    [InlineData("end of the day", null, null, PartOfDay.Afternoon, false)]
    [InlineData("after lunch on Thursday", "2026-11-26", null, PartOfDay.Afternoon, false)]
    [InlineData("around 2", null, "14:00", PartOfDay.None, true)]
    [InlineData("2 o'clock", null, "14:00", PartOfDay.None, true)]
    [InlineData("two o'clock", null, "14:00", PartOfDay.None, true)]
    [InlineData("at eleven", null, "11:00", PartOfDay.None, true)]
    [InlineData("at 9", null, "09:00", PartOfDay.None, true)]
    [InlineData("anytime after 4", null, "16:00", PartOfDay.None, true)]
    [InlineData("by noon", null, "12:00", PartOfDay.None, false)]
    [InlineData("3 in the afternoon", null, "15:00", PartOfDay.Afternoon, false)]
    [InlineData("7 in the morning", null, "07:00", PartOfDay.Morning, false)]
    [InlineData("Wednesday at 2", "2026-11-25", "14:00", PartOfDay.None, true)]
    [InlineData("Wednedday at 2", "2026-11-25", "14:00", PartOfDay.None, true)]
    [InlineData("can I come in thrusday at 4:45", "2026-11-26", "16:45", PartOfDay.None, true)]
    [InlineData("may I come in at 5", null, "17:00", PartOfDay.None, true)]
    [InlineData("between 2 and 4", null, "14:00", PartOfDay.None, true)]
    [InlineData("10 pm please, if available, if not check for 11 pm", null, "22:00", PartOfDay.None, false)]
    [InlineData("I was going to do 11, but I've got a hot date then. Maybe 10am?", null, "10:00", PartOfDay.None, false)]
    [InlineData("a table at 7pm, for 31 people", null, "19:00", PartOfDay.None, false)]
    [InlineData("I'd like to make a reservation at The Porch for 9 at 10 am.", null, "10:00", PartOfDay.None, false)]
    [InlineData("Today (Thurs.) at noon if possible", "2026-11-23", "12:00", PartOfDay.None, false)]
    public void Parse_resolves_date_time_and_part_of_day(string text, string? date, string? time, PartOfDay partOfDay, bool inferred)
    {
        var expected = new TemporalMention(D(date), T(time), partOfDay, inferred, IsAsap: false, DateIsVague: false);

        Assert.Equal(expected, TemporalParser.Parse(text, MondayMorning));
    }

    [Theory]
    [InlineData("today at 8am", "2026-11-23", "08:00", false)]
    [InlineData("today at 9", "2026-11-23", "21:00", true)]
    [InlineData("today at 10", "2026-11-23", "10:00", true)]
    [InlineData("today at 2", "2026-11-23", "14:00", true)]
    public void Parse_keeps_explicit_past_times_and_moves_inferred_past_hours_to_the_evening(string text, string date, string time, bool inferred)
    {
        var expected = new TemporalMention(D(date), T(time), PartOfDay.None, inferred, IsAsap: false, DateIsVague: false);

        Assert.Equal(expected, TemporalParser.Parse(text, MondayMorning));
    }

    [Theory]
    [InlineData("as soon as possible", null)]
    [InlineData("what's your earliest opening", null)]
    [InlineData("next available", null)]
    [InlineData("first available appointment please", null)]
    [InlineData("ASAP please", null)]
    [InlineData("asap tomorrow", "2026-11-24")]
    public void Parse_flags_asap_requests(string text, string? date)
    {
        var expected = new TemporalMention(D(date), null, PartOfDay.None, false, IsAsap: true, DateIsVague: false);

        Assert.Equal(expected, TemporalParser.Parse(text, MondayMorning));
    }

    [Theory]
    [InlineData("next week", "2026-11-30")]
    [InlineData("sometime soon", "2026-11-23")]
    [InlineData("later this week", "2026-11-24")]
    [InlineData("this weekend", "2026-11-28")]
    [InlineData("next month", "2026-12-01")]
    [InlineData("in a couple of days", "2026-11-25")]
    [InlineData("sometime in January", "2027-01-01")]
    public void Parse_marks_ranges_as_vague_starting_on_their_first_day(string text, string date)
    {
        var expected = new TemporalMention(D(date), null, PartOfDay.None, false, IsAsap: false, DateIsVague: true);

        Assert.Equal(expected, TemporalParser.Parse(text, MondayMorning));
    }

    [Theory]
    [InlineData("one cleaning please")]
    [InlineData("I have 2 kids")]
    [InlineData("a table for 3 people")]
    [InlineData("call me at 555 123 4567")]
    [InlineData("call me at five five five one two three four five six seven")]
    [InlineData("it costs $50")]
    [InlineData("hello")]
    [InlineData("good morning, I'd like to book a cleaning")]
    [InlineData("I've had a headache for two days")]
    [InlineData("I need it done in 2 hours")]
    [InlineData("3")]
    [InlineData("")]
    [InlineData("the first thing I want is a quote")]
    [InlineData("may I ask a question")]
    public void Parse_returns_null_when_no_date_or_time_is_mentioned(string text)
    {
        Assert.Null(TemporalParser.Parse(text, MondayMorning));
    }

    [Theory]
    [InlineData("3", "15:00")]
    [InlineData("ten", "10:00")]
    [InlineData("3 30", "15:30")]
    [InlineData("eleven thirty", "11:30")]
    [InlineData("maybe 8", "08:00")]
    public void Parse_with_expecting_time_reads_a_bare_number_as_an_hour(string text, string time)
    {
        var expected = new TemporalMention(null, T(time), PartOfDay.None, AmPmInferred: true, IsAsap: false, DateIsVague: false);

        Assert.Equal(expected, TemporalParser.Parse(text, MondayMorning, expectingTime: true));
    }

    [Fact]
    public void Parse_with_expecting_time_still_rejects_counts()
    {
        Assert.Null(TemporalParser.Parse("for 3 people", MondayMorning, expectingTime: true));
    }

    public static TheoryData<string, DateTime, string> OtherNows => new()
    {
        // Friday 2026-01-30: day-of-month roll-over skips months that lack the day.
        { "the 31st", new DateTime(2026, 1, 30, 10, 0, 0), "2026-01-31" },
        { "the 30th", new DateTime(2026, 1, 30, 10, 0, 0), "2026-01-30" },
        { "the 29th", new DateTime(2026, 1, 30, 10, 0, 0), "2026-03-29" },
        // Monday 2026-12-28: year roll-over.
        { "January 2", new DateTime(2026, 12, 28, 9, 0, 0), "2027-01-02" },
        { "the 3rd", new DateTime(2026, 12, 28, 9, 0, 0), "2027-01-03" },
        { "1/4", new DateTime(2026, 12, 28, 9, 0, 0), "2027-01-04" },
        // Sunday 2026-11-29: bare weekday equal to today is today, "next" is strictly after.
        { "Sunday", new DateTime(2026, 11, 29, 14, 0, 0), "2026-11-29" },
        { "next Sunday", new DateTime(2026, 11, 29, 14, 0, 0), "2026-12-06" },
        { "Monday", new DateTime(2026, 11, 29, 14, 0, 0), "2026-11-30" },
        { "tomorrow", new DateTime(2026, 12, 31, 14, 0, 0), "2027-01-01" },
        // Leap day resolves to the next year that has one.
        { "Feb 29", new DateTime(2027, 3, 1, 9, 0, 0), "2028-02-29" },
    };

    [Theory]
    [MemberData(nameof(OtherNows))]
    public void Parse_rolls_past_dates_forward_relative_to_now(string text, DateTime now, string date)
    {
        Assert.Equal(D(date), TemporalParser.Parse(text, now)?.Date);
    }

    [Fact]
    public void Parse_next_week_on_a_sunday_starts_tomorrow()
    {
        var mention = TemporalParser.Parse("next week", new DateTime(2026, 11, 29, 14, 0, 0));

        Assert.Equal(new TemporalMention(new DateOnly(2026, 11, 30), null, PartOfDay.None, false, false, true), mention);
    }
}
