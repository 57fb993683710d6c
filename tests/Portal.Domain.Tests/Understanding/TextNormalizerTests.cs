using Portal.Domain.Conversations.Understanding;

namespace Portal.Domain.Tests.Understanding;

public sealed class TextNormalizerTests
{
    [Theory]
    [InlineData("I'd like to book", "i would like to book")]
    [InlineData("I can't make it", "i cannot make it")]
    [InlineData("Won't work, I'm busy", "will not work i am busy")]
    [InlineData("that's all, thanks!", "that is all thanks")]
    [InlineData("It\u2019s Maria", "it is maria")]
    [InlineData("couldn't we do 3pm?", "could not we do 3 pm")]
    [InlineData("3 p.m.", "3 pm")]
    [InlineData("10.30am", "10:30 am")]
    [InlineData("at 10:30, please", "at 10:30 please")]
    [InlineData("12/5 works", "12/5 works")]
    [InlineData("the 5th", "the 5th")]
    [InlineData("it's $50.99 right", "it is 50 dollars right")]
    [InlineData("two o'clock", "two oclock")]
    [InlineData("twenty-first", "twenty first")]
    [InlineData("  LOTS   of\tspace  ", "lots of space")]
    [InlineData("Mark's wedding", "mark wedding")]
    [InlineData("im gonna be late", "i am going to be late")]
    [InlineData("555-123-4567", "555 123 4567")]
    [InlineData("", "")]
    public void Normalize_produces_the_canonical_form(string text, string expected)
    {
        Assert.Equal(expected, TextNormalizer.Normalize(text));
    }
}
