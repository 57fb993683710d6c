using Portal.Domain.Conversations.Understanding;

namespace Portal.Domain.Tests.Understanding;

/// <summary>The staff member a caller asks for: titled in any casing, untitled only capitalized after a request word.</summary>
public sealed class ProviderExtractorTests
{
    [Theory]
    [InlineData("No, I'd rather see Dr. Patel", "Dr. Patel")]
    [InlineData("nope, I'd prefer to see Doctor Chen", "Dr. Chen")]
    [InlineData("no, i want dr nguyen", "Dr. Nguyen")]
    [InlineData("No - with Dr. Amara Singh please", "Dr. Amara Singh")]
    [InlineData("no, I want Jessica to do it", "Jessica")]
    [InlineData("Not with Sam, I'd prefer Maria", "Maria")]
    [InlineData("No, could you have Luis work on it?", "Luis")]
    [InlineData("no, actually can Priya do it instead? the time is fine", "Priya")]
    [InlineData("No, can I book with Tanya?", "Tanya")]
    [InlineData("I'd like a cleaning with Dr. Nguyen on Friday at 9", "Dr. Nguyen")]
    [InlineData("I'm Alexis I would like an appointment with Dr Morgan", "Dr. Morgan")]
    public void Find_returns_the_provider_asked_for(string text, string expected)
    {
        Assert.Equal(expected, ProviderExtractor.TryExtract(text));
    }

    [Theory]
    [InlineData("Is Dr. Klein trained in CBT?")]
    [InlineData("Does Dr. Lee do house calls?")]
    [InlineData("I need to see a doctor asap")]
    [InlineData("can I see the doctor on Friday")]
    [InlineData("I want Tuesday at 3")]
    [InlineData("i want jessica to do it")]
    [InlineData("not with Sam please")]
    [InlineData("I need a doctor's appointment today")]
    public void Find_returns_nothing_when_no_provider_is_asked_for(string text)
    {
        Assert.Null(ProviderExtractor.TryExtract(text));
    }

    [Fact]
    public void Find_reports_where_the_mention_is()
    {
        const string text = "nope, I'd prefer to see Doctor Chen";
        var mention = ProviderExtractor.Find(text);

        Assert.NotNull(mention);
        Assert.Equal("Doctor Chen", text.Substring(mention.Index, mention.Length));
    }
}
