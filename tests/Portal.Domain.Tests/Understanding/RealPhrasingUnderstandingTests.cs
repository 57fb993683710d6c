using Portal.Domain.Conversations.Understanding;

namespace Portal.Domain.Tests.Understanding;

/// <summary>Wanted times (negated clauses ignored), "the next day", and names volunteered on their own.</summary>
public sealed class RealPhrasingUnderstandingTests
{
    /// <summary>Monday 2026-11-23 09:15, the business's local time.</summary>
    private static readonly DateTime MondayMorning = new(2026, 11, 23, 9, 15, 0);

    [Theory]
    [InlineData("10 pm please, if available, if not check for 11 pm", "22:00")]
    [InlineData("yes, I don't think I could do it at 2 am.", null)]
    [InlineData("I can't do 5, can we do 6 pm?", "18:00")]
    [InlineData("not at 3pm but 4pm works", "16:00")]
    [InlineData("not before 3pm", "15:00")]
    [InlineData("no later than 5 pm", "17:00")]
    [InlineData("I can be there at 5pm. I really cannot remember if I paid the fee.", "17:00")]
    [InlineData("Dr. Alexis at 2 pm. Not Tuesday though", "14:00")]
    public void ParseWanted_ignores_times_ruled_out(string text, string? expected)
    {
        var time = TemporalParser.ParseWanted(text, MondayMorning, expectingTime: false)?.Time;
        Assert.Equal(expected, time?.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void ParseWanted_drops_a_ruled_out_day()
    {
        var mention = TemporalParser.ParseWanted("not tuesday, wednesday at 10", MondayMorning, expectingTime: false);
        Assert.Equal(new DateOnly(2026, 11, 25), mention?.Date);
        Assert.Null(TemporalParser.ParseWanted("I can't make it on tuesday", MondayMorning, expectingTime: false));
    }

    [Fact]
    public void ParseWanted_without_negation_is_Parse()
    {
        const string text = "next tuesday morning at 10, or whatever is free";
        Assert.Equal(TemporalParser.Parse(text, MondayMorning, expectingTime: true), TemporalParser.ParseWanted(text, MondayMorning, expectingTime: true));
    }

    [Theory]
    [InlineData("Oh no, try the next day please", true)]
    [InlineData("what about the following day?", true)]
    [InlineData("the day after works", true)]
    [InlineData("the day after tomorrow", false)]
    [InlineData("next week", false)]
    [InlineData("any day is fine", false)]
    public void MentionsFollowingDay(string text, bool expected)
    {
        Assert.Equal(expected, TemporalParser.MentionsFollowingDay(text));
    }

    [Theory]
    [InlineData("Angela", "Angela")]
    [InlineData("Alexis.", "Alexis")]
    [InlineData("Mark", "Mark")]
    [InlineData("Mark Lee", "Mark Lee")]
    [InlineData("Oh Angela", "Angela")]
    [InlineData("angela", null)]
    [InlineData("Hallo :)", null)]
    [InlineData("Thursday", null)]
    [InlineData("Sounds good", null)]
    [InlineData("Perfect", null)]
    [InlineData("it's for Ben", null)]
    [InlineData("Angela. See you then", null)]
    [InlineData("Jane Mary Doe Smith", null)]
    public void TryExtractVolunteered_takes_only_a_capitalized_bare_name(string text, string? expected)
    {
        Assert.Equal(expected, NameExtractor.TryExtractVolunteered(text));
    }
}
