using Portal.Domain.Conversations.Understanding;

namespace Portal.Domain.Tests.Understanding;

public sealed class PhoneExtractorTests
{
    [Theory]
    [InlineData("555-123-4567", "+15551234567")]
    [InlineData("(555) 123 4567", "+15551234567")]
    [InlineData("+1 555 123 4567", "+15551234567")]
    [InlineData("my number is 555.123.4567", "+15551234567")]
    [InlineData("5551234567", "+15551234567")]
    [InlineData("five five five one two three four five six seven", "+15551234567")]
    [InlineData("five five five, one two three, four five six seven", "+15551234567")]
    [InlineData("it's double five five one two three four five six seven", "+15551234567")]
    [InlineData("triple 5 123 4567", "+15551234567")]
    [InlineData("five five five one two three four five six oh", "+15551234560")]
    [InlineData("5 5 5 1 2 3 4 5 6 7", "+15551234567")]
    [InlineData("five five five 123 four five six seven", "+15551234567")]
    [InlineData("five fifty five, one two three, forty five sixty seven", "+15551234567")]
    [InlineData("call me back at 212-555-0199 please", "+12125550199")]
    [InlineData("you can reach me on 415 555 2671 after five", "+14155552671")]
    [InlineData("1-800-555-0199", "+18005550199")]
    [InlineData("one eight hundred five five five oh one nine nine", "+18005550199")]
    [InlineData("plus one five five five one two three four five six seven", "+15551234567")]
    [InlineData("my cell is 555 1234567, thanks", "+15551234567")]
    [InlineData("+44 20 7946 0958", "+442079460958")]
    [InlineData("uh five five five uh one two three um four five six seven", "+15551234567")]
    public void TryExtract_returns_e164_for_us_numbers(string text, string expected)
    {
        Assert.Equal(expected, PhoneExtractor.TryExtract(text, "US"));
    }

    [Theory]
    [InlineData("020 7946 0958", "GB", "+442079460958")]
    [InlineData("07700 900123", "GB", "+447700900123")]
    [InlineData("030 123456", "DE", "+4930123456")]
    public void TryExtract_uses_the_default_region_for_national_numbers(string text, string region, string expected)
    {
        Assert.Equal(expected, PhoneExtractor.TryExtract(text, region));
    }

    [Theory]
    [InlineData("")]
    [InlineData("I'd like 2 cleanings tomorrow at 3")]
    [InlineData("my zip is 90210")]
    [InlineData("12/5/2026")]
    [InlineData("555 1234")]
    [InlineData("one two three")]
    [InlineData("I'm Jane and I need a filling")]
    public void TryExtract_returns_null_when_there_is_no_full_number(string text)
    {
        Assert.Null(PhoneExtractor.TryExtract(text, "US"));
    }
}
