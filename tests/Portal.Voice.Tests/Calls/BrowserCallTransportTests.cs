using Portal.Voice.Calls;

namespace Portal.Voice.Tests.Calls;

public sealed class BrowserCallTransportTests
{
    [Fact]
    public void ParseControl_Mark_ReturnsName()
    {
        var e = BrowserCallTransport.ParseControl("{\"event\":\"mark\",\"name\":\"reply-3\"}"u8);
        Assert.Equal(CallTransportEventKind.Mark, e.Kind);
        Assert.Equal("reply-3", e.Mark);
    }

    [Fact]
    public void ParseControl_Dtmf_ReturnsDigit()
    {
        var e = BrowserCallTransport.ParseControl("{\"event\":\"dtmf\",\"digit\":\"#\"}"u8);
        Assert.Equal(CallTransportEventKind.Dtmf, e.Kind);
        Assert.Equal('#', e.Digit);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"event\":\"dance\"}")]
    [InlineData("{\"event\":\"dtmf\",\"digit\":\"x\"}")]
    [InlineData("{\"event\":\"mark\"}")]
    public void ParseControl_BadFrame_ThrowsInvalidData(string json)
    {
        Assert.Throws<InvalidDataException>(() => BrowserCallTransport.ParseControl(System.Text.Encoding.UTF8.GetBytes(json)));
    }
}
