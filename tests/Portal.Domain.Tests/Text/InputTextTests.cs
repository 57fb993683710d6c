using Portal.Data.Text;

namespace Portal.Domain.Tests.Text;

public sealed class InputTextTests
{
    [Theory]
    [InlineData("Hello\u0000", "U+0000")]
    [InlineData("bell\u0007", "U+0007")]
    [InlineData("esc\u001B[31m", "U+001B")]
    [InlineData("del\u007F", "U+007F")]
    [InlineData("c1\u0085", "U+0085")]
    public void ControlCharacter_IsRefused_NamingTheFieldAndTheCharacter(string value, string code) =>
        Assert.Equal($"The question contains an invisible control character ({code}). Remove it and try again.", InputText.ControlCharacterError(value, "the question"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Line one\nLine two\r\n\tindented")]
    [InlineData("Café – 9 € ünd 日本")]
    public void OrdinaryText_IncludingTabsAndNewlines_Passes(string? value) =>
        Assert.Null(InputText.ControlCharacterError(value, "the answer"));

    [Fact]
    public void EnsureNoControlCharacters_ThrowsArgumentException_WithTheMessage()
    {
        var error = Assert.Throws<ArgumentException>(() => InputText.EnsureNoControlCharacters("hi\u0000", "your message", "utterance"));
        Assert.StartsWith("Your message contains an invisible control character (U+0000).", error.Message, StringComparison.Ordinal);
        Assert.Equal("utterance", error.ParamName);
    }

    [Theory]
    [InlineData("invoice\u202Egpj.md", "invoicegpj.md")]
    [InlineData("\u202Aa\u202Bb\u202Cc\u202Dd\u202Ee", "abcde")]
    [InlineData("\u2066x\u2067y\u2068z\u2069", "xyz")]
    [InlineData("  Bright Smile  ", "Bright Smile")]
    public void CleanName_StripsBidiControls(string value, string expected)
    {
        Assert.Equal(expected, InputText.CleanName(value, "the name", out var error));
        Assert.Null(error);
    }

    [Fact]
    public void CleanName_WithAControlCharacter_GivesAnError_AndNoName()
    {
        Assert.Null(InputText.CleanName("Bad\u0000Name", "the business name", out var error));
        Assert.StartsWith("The business name contains", error, StringComparison.Ordinal);
    }
}
