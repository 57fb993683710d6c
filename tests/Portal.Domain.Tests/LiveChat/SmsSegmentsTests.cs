using Portal.Domain.LiveChat;

namespace Portal.Domain.Tests.LiveChat;

public sealed class SmsSegmentsTests
{
    [Fact]
    public void Split_Gsm7Within160_IsOneMessage()
    {
        var text = new string('a', 160);
        Assert.Equal([text], SmsSegments.Split(text));
    }

    [Fact]
    public void Split_Gsm7Over160_IsPartsOfAtMost153_CutAtSpaces()
    {
        var words = string.Join(' ', Enumerable.Repeat("hello", 60)); // 359 characters
        var parts = SmsSegments.Split(words);
        Assert.Equal(3, parts.Count);
        Assert.All(parts, p => Assert.True(p.Length <= 153, p.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(parts, p => Assert.DoesNotContain("hel lo", p, StringComparison.Ordinal));
        Assert.Equal(words, string.Join(' ', parts));
    }

    [Fact]
    public void Split_ExtensionCharactersCountTwo()
    {
        var text = new string('€', 80); // 160 septets: fits one message exactly
        Assert.True(SmsSegments.IsGsm7(text));
        Assert.Equal(160, SmsSegments.Units(text, gsm7: true));
        Assert.Single(SmsSegments.Split(text));
        Assert.Equal(2, SmsSegments.Split(text + "€").Count);
    }

    [Fact]
    public void Split_Ucs2_Uses70Then67()
    {
        var emoji = "Thanks 😊 ";
        Assert.False(SmsSegments.IsGsm7(emoji));
        Assert.Single(SmsSegments.Split(new string('ж', 70)));
        var parts = SmsSegments.Split(string.Concat(Enumerable.Repeat(emoji, 12)).Trim());
        Assert.True(parts.Count >= 2);
        Assert.All(parts, p => Assert.True(p.Length <= 67));
        Assert.All(parts, p => Assert.False(char.IsHighSurrogate(p[^1])));
    }

    [Fact]
    public void Split_EmptyText_IsNothing() => Assert.Empty(SmsSegments.Split("   "));
}

public sealed class WidgetOriginsTests
{
    [Theory]
    [InlineData("https://www.Example.com", "https://www.example.com")]
    [InlineData("https://www.example.com:443", "https://www.example.com")]
    [InlineData("http://127.0.0.1:5173", "http://127.0.0.1:5173")]
    [InlineData("https://shop.example.com/", "https://shop.example.com")]
    public void Normalize_KeepsSchemeHostAndPort(string value, string expected) => Assert.Equal(expected, WidgetOrigins.Normalize(value));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("ftp://example.com")]
    [InlineData("https://example.com/page")]
    [InlineData("https://user:pw@example.com")]
    [InlineData("javascript:alert(1)")]
    public void Normalize_RefusesWhatIsNotAnOrigin(string? value) => Assert.Null(WidgetOrigins.Normalize(value));

    [Fact]
    public void Allows_OnlyListedOrigins()
    {
        var widget = new WidgetInfo(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "wgt_x", ["https://www.example.com"], "#000000", "Ava", "Shop", 60);
        Assert.True(widget.Allows("https://www.example.com"));
        Assert.False(widget.Allows("https://example.com"));
        Assert.False(widget.Allows("https://www.example.com.evil.test"));
        Assert.False(widget.Allows(null));
    }

    [Fact]
    public void VisitorTokens_AreRandomWellFormedAndHashed()
    {
        var a = VisitorTokens.New();
        var b = VisitorTokens.New();
        Assert.NotEqual(a, b);
        Assert.True(VisitorTokens.IsWellFormed(a));
        Assert.False(VisitorTokens.IsWellFormed(a[..^1] + "!"));
        Assert.Equal(32, VisitorTokens.Hash(a).Length);
        Assert.Equal(VisitorTokens.Hash(a), VisitorTokens.Hash(a));
    }
}
