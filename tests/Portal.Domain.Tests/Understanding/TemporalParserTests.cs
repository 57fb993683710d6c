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
    [InlineData("monday the 7th", "2026-12-07", null, PartOfDay.None, false)]
    [InlineData("a week from today", "2026-11-30", null, PartOfDay.None, false)]
    [InlineData("two weeks from now", "2026-12-07", null, PartOfDay.None, false)]
    [InlineData("this coming Tuesday", "2026-11-24", null, PartOfDay.None, false)]
    [InlineData("next friday at 6 in the evening", "2026-11-27", "18:00", PartOfDay.Evening, false)]
    [InlineData("can you do 2:30 on thursday", "2026-11-26", "14:30", PartOfDay.None, true)]
    [InlineData("9:30 tomorrow", "2026-11-24", "09:30", PartOfDay.None, true)]
    [InlineData("13:45", null, "13:45", PartOfDay.None, false)]
    [InlineData("Jan 3rd 2027", "2027-01-03", null, PartOfDay.None, false)]
    [InlineData("on 12/24", "2026-12-24", null, PartOfDay.None, false)]
    [InlineData("noonish", null, "12:00", PartOfDay.None, false)]
    [InlineData("we're a party of 6 at 7", null, "19:00", PartOfDay.None, true)]
    [InlineData("at one on Friday", "2026-11-27", "13:00", PartOfDay.None, true)]
    [InlineData("any time tomorrow morning", "2026-11-24", null, PartOfDay.Morning, false)]
    [InlineData("tonight at 8", "2026-11-23", "20:00", PartOfDay.Evening, false)]
    [InlineData("next week Tuesday", "2026-12-01", null, PartOfDay.None, false)]
    [InlineData("Tuesday next week at 4", "2026-12-01", "16:00", PartOfDay.None, true)]
    [InlineData("next week on Monday", "2026-11-30", null, PartOfDay.None, false)]
    [InlineData("tomorrow morning at 11", "2026-11-24", "11:00", PartOfDay.Morning, false)]
    [InlineData("at 12", null, "12:00", PartOfDay.None, true)]
    [InlineData("the thirty first", "2026-12-31", null, PartOfDay.None, false)]
    [InlineData("at 7:05pm", null, "19:05", PartOfDay.None, false)]
    [InlineData("seven oh five pm", null, "19:05", PartOfDay.None, false)]
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
    [InlineData("end of the week", "2026-11-27")]
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
    [InlineData("Tell me about the apartment at One on Center")]
    [InlineData("my kid is 7")]
    [InlineData("I'm 45 years old")]
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

    [Theory]
    [InlineData("the first one")]
    [InlineData("the second one please")]
    [InlineData("find me one")]
    [InlineData("as fast as you could find me one")]
    [InlineData("I need one")]
    [InlineData("a one")]
    [InlineData("that one")]
    [InlineData("I'll take the earlier one")]
    public void Parse_with_expecting_time_does_not_read_one_as_an_hour_after_a_determiner_or_verb(string text)
    {
        Assert.Null(TemporalParser.Parse(text, MondayMorning, expectingTime: true)?.Time);
    }

    [Theory]
    [InlineData("the first one at 3", "15:00")]
    [InlineData("one", "13:00")]
    [InlineData("at one", "13:00")]
    [InlineData("maybe one", "13:00")]
    [InlineData("the one o'clock slot", "13:00")]
    [InlineData("that one thirty", "13:30")]
    public void Parse_with_expecting_time_still_reads_a_lone_one_as_an_hour(string text, string time)
    {
        Assert.Equal(T(time), TemporalParser.Parse(text, MondayMorning, expectingTime: true)?.Time);
    }

    [Theory]
    [InlineData("I'd like to book a cleaning for monday the 30th", "2026-11-30")]
    [InlineData("monday the 30th", "2026-11-30")]
    [InlineData("Monday, the 30th at 2pm", "2026-11-30")]
    [InlineData("friday the 30th", "2026-11-30")]
    [InlineData("on tuesday the first", "2026-12-01")]
    [InlineData("wednesday december 2nd", "2026-12-02")]
    public void Parse_weekday_with_day_of_month_means_that_date(string text, string date)
    {
        Assert.Equal(D(date), TemporalParser.Parse(text, MondayMorning)?.Date);
    }

    [Theory]
    [InlineData("on thanksgiving", "2026-11-26")]
    [InlineData("are you open thanksgiving day", "2026-11-26")]
    [InlineData("Are you open on Thanksgiving?", "2026-11-26")]
    [InlineData("christmas", "2026-12-25")]
    [InlineData("on christmas day", "2026-12-25")]
    [InlineData("Christmas Eve", "2026-12-24")]
    [InlineData("xmas eve", "2026-12-24")]
    [InlineData("new year's eve", "2026-12-31")]
    [InlineData("New Years Day", "2027-01-01")]
    [InlineData("on new year's", "2027-01-01")]
    [InlineData("memorial day", "2027-05-31")]
    [InlineData("labor day", "2027-09-06")]
    [InlineData("labour day weekend", "2027-09-06")]
    [InlineData("july 4th", "2027-07-04")]
    [InlineData("the fourth of july", "2027-07-04")]
    [InlineData("independence day", "2027-07-04")]
    [InlineData("the 4th of July", "2027-07-04")]
    public void Parse_resolves_us_holidays_to_their_next_occurrence(string text, string date)
    {
        Assert.Equal(D(date), TemporalParser.Parse(text, MondayMorning)?.Date);
    }

    public static TheoryData<string, DateTime, string> HolidayNows => new()
    {
        // Thanksgiving day itself is today, not next year.
        { "thanksgiving", new DateTime(2026, 11, 26, 8, 0, 0), "2026-11-26" },
        { "thanksgiving", new DateTime(2026, 11, 27, 8, 0, 0), "2027-11-25" },
        { "memorial day", new DateTime(2026, 3, 2, 8, 0, 0), "2026-05-25" },
        { "labor day", new DateTime(2026, 3, 2, 8, 0, 0), "2026-09-07" },
        { "christmas", new DateTime(2026, 12, 26, 8, 0, 0), "2027-12-25" },
        { "new year's day", new DateTime(2026, 3, 2, 8, 0, 0), "2027-01-01" },
    };

    [Theory]
    [MemberData(nameof(HolidayNows))]
    public void Parse_rolls_holidays_forward(string text, DateTime now, string date)
    {
        Assert.Equal(D(date), TemporalParser.Parse(text, now)?.Date);
    }

    [Theory]
    [InlineData("at 0930", "09:30", false)]
    [InlineData("at 1430", "14:30", false)]
    [InlineData("tomorrow at 1430", "14:30", false)]
    [InlineData("around 0800 please", "08:00", false)]
    [InlineData("at 1030", "10:30", true)]
    [InlineData("at 930am", "09:30", false)]
    [InlineData("1430 hours", "14:30", false)]
    public void Parse_reads_four_digit_times_after_a_preposition(string text, string time, bool inferred)
    {
        var mention = TemporalParser.Parse(text, MondayMorning);

        Assert.Equal((T(time), inferred), (mention?.Time, mention?.AmPmInferred ?? false));
    }

    [Theory]
    [InlineData("we're at 1430 Main Street")]
    [InlineData("call me at 555 1430")]
    [InlineData("it costs 1430 dollars")]
    [InlineData("my zip is 1430")]
    public void Parse_does_not_read_four_digit_numbers_as_times_without_context(string text)
    {
        Assert.Null(TemporalParser.Parse(text, MondayMorning)?.Time);
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

    /// <summary>
    /// US calendars start the week on Sunday: on Sunday 2026-11-29 "next week" is the week of Sunday 2026-12-06, so its
    /// Monday is 2026-12-07 (this test once said "tomorrow"; "next week" now means the following calendar week).
    /// </summary>
    [Fact]
    public void Parse_next_week_on_a_sunday_is_the_following_calendar_week()
    {
        var mention = TemporalParser.Parse("next week", new DateTime(2026, 11, 29, 14, 0, 0));

        Assert.Equal(new TemporalMention(new DateOnly(2026, 12, 7), null, PartOfDay.None, false, false, true), mention);
    }

    [Theory]
    [InlineData("Monday next week", "2026-12-07")]
    [InlineData("next week Monday", "2026-12-07")]
    [InlineData("tuesday next week at 9", "2026-12-08")]
    [InlineData("next week on Friday", "2026-12-11")]
    [InlineData("Monday", "2026-11-30")]
    public void Parse_weekday_of_next_week_said_on_a_sunday_is_in_the_following_calendar_week(string text, string date)
    {
        Assert.Equal(D(date), TemporalParser.Parse(text, new DateTime(2026, 11, 29, 14, 0, 0))?.Date);
    }

    [Theory]
    [InlineData("Monday next week", "2026-11-30")]
    [InlineData("Friday next week", "2026-12-04")]
    public void Parse_weekday_of_next_week_said_on_a_saturday_is_the_coming_week(string text, string date)
    {
        Assert.Equal(D(date), TemporalParser.Parse(text, new DateTime(2026, 11, 28, 14, 0, 0))?.Date);
    }

    [Theory]
    [InlineData("first thing in the morning", null, PartOfDay.Morning, DayEdge.Start, null)]
    [InlineData("first thing Wednesday", "2026-11-25", PartOfDay.Morning, DayEdge.Start, null)]
    [InlineData("Thursday, first thing", "2026-11-26", PartOfDay.Morning, DayEdge.Start, null)]
    [InlineData("first thing would be great", null, PartOfDay.Morning, DayEdge.Start, null)]
    [InlineData("end of the day", null, PartOfDay.Afternoon, DayEdge.End, null)]
    [InlineData("Friday at the end of day", "2026-11-27", PartOfDay.Afternoon, DayEdge.End, null)]
    [InlineData("last thing on Tuesday", "2026-11-24", PartOfDay.None, DayEdge.End, null)]
    [InlineData("after lunch on Thursday", "2026-11-26", PartOfDay.Afternoon, DayEdge.None, "13:00")]
    [InlineData("sometime after lunchtime tomorrow", "2026-11-24", PartOfDay.Afternoon, DayEdge.None, "13:00")]
    [InlineData("late afternoon ideally", null, PartOfDay.Afternoon, DayEdge.None, "15:00")]
    [InlineData("Friday, late afternoon if you can", "2026-11-27", PartOfDay.Afternoon, DayEdge.None, "15:00")]
    [InlineData("mid afternoon on Wednesday", "2026-11-25", PartOfDay.Afternoon, DayEdge.None, "14:00")]
    [InlineData("midmorning tomorrow", "2026-11-24", PartOfDay.Morning, DayEdge.None, "09:30")]
    [InlineData("late morning Thursday", "2026-11-26", PartOfDay.Morning, DayEdge.None, "10:00")]
    public void Parse_reads_the_edges_of_the_day_and_after_lunch(string text, string? date, PartOfDay partOfDay, DayEdge edge, string? notBefore)
    {
        var mention = TemporalParser.Parse(text, MondayMorning);

        Assert.NotNull(mention);
        Assert.Equal(D(date), mention.Date);
        Assert.Null(mention.Time);
        Assert.Equal(partOfDay, mention.PartOfDay);
        Assert.Equal(edge, mention.Edge);
        Assert.Equal(T(notBefore), mention.NotBefore);
    }

    [Theory]
    [InlineData("morning 9", "09:00")]
    [InlineData("Thursday morning 9?", "09:00")]
    [InlineData("evening 5", "17:00")]
    [InlineData("tuesday evening 5 please", "17:00")]
    [InlineData("afternoon 2:30", "14:30")]
    [InlineData("tomorrow morning 10 30", "10:30")]
    [InlineData("wednesday evening six thirty", "18:30")]
    [InlineData("Saturday, morning 11", "11:00")]
    [InlineData("in the afternoon around 3", "15:00")]
    [InlineData("noonish", "12:00")]
    [InlineData("quarter to one in the afternoon", "12:45")]
    [InlineData("half past four in the afternoon", "16:30")]
    public void Parse_reads_a_daypart_before_or_around_the_hour(string text, string time)
    {
        Assert.Equal(T(time), TemporalParser.Parse(text, MondayMorning)?.Time);
    }

    [Theory]
    [InlineData("the first thing I want is a quote")]
    [InlineData("morning 2 kids and me")]
    public void Parse_does_not_read_a_daypart_grammar_into_other_words(string text)
    {
        var mention = TemporalParser.Parse(text, MondayMorning);

        Assert.True(mention is null || mention.Time is null && mention.Edge == DayEdge.None, $"{mention}");
    }
}
