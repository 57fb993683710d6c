using Portal.Domain.Conversations.Understanding;

namespace Portal.Domain.Tests.Understanding;

/// <summary>The phrase cues the dialogue manager reads on top of the intent.</summary>
public sealed class DialogueCuesTests
{
    [Theory]
    [InlineData("OK, sounds good, thanks, bye", true)]
    [InlineData("Thanks, have a great day", true)]
    [InlineData("talk to you later", true)]
    [InlineData("yes, that's it", false)]
    [InlineData("Friday, that's all", false)]
    [InlineData("I'm good with any time", false)]
    public void HasFarewell_tells_leave_taking_from_a_closing_phrase(string text, bool expected)
    {
        Assert.Equal(expected, DialogueCues.HasFarewell(text));
    }

    [Theory]
    [InlineData("no message, that's my number for the highlights booking", false)]
    [InlineData("no message needed, just put down 718-555-0191", false)]
    [InlineData("tell her I'll be a few minutes late", false)]
    [InlineData("let the mechanic know it's a 2014 Civic", false)]
    [InlineData("I'd like to leave a message for the nurse", true)]
    [InlineData("just have someone call me back", true)]
    [InlineData("can you take a message?", true)]
    public void AsksForMessage_only_when_the_caller_asks_in_so_many_words(string text, bool expected)
    {
        Assert.Equal(expected, DialogueCues.AsksForMessage(text));
    }

    [Theory]
    [InlineData("no, don't book it, I'll call back later", true)]
    [InlineData("actually I don't want to book anything", true)]
    [InlineData("let's hold off for now", true)]
    [InlineData("yes please book it", false)]
    [InlineData("can you book me in for Friday", false)]
    public void DeclinesBooking_reads_a_declined_booking(string text, bool expected)
    {
        Assert.Equal(expected, DialogueCues.DeclinesBooking(text));
    }

    [Theory]
    [InlineData("is there an elevator in the building?", true)]
    [InlineData("do you have a waiting room with wifi", true)]
    [InlineData("Will Turner", false)]
    [InlineData("Thursday at 3", false)]
    public void IsQuestion_needs_a_question_mark_or_a_question_word_opening_a_sentence(string text, bool expected)
    {
        Assert.Equal(expected, DialogueCues.IsQuestion(text));
    }
}
