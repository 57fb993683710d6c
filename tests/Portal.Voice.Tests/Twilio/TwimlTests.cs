using System.Xml.Linq;
using Portal.Voice.Twilio;

namespace Portal.Voice.Tests.Twilio;

public sealed class TwimlTests
{
    private const string Declaration = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";

    [Fact]
    public void Empty_IsAnEmptyResponse()
    {
        Assert.Equal(Declaration + "<Response />", new TwimlResponse().ToString());
    }

    [Fact]
    public void SayAndHangup_RenderExactly()
    {
        string xml = new TwimlResponse().Say("Thanks for calling.", voice: "Polly.Joanna", language: "en-US").Pause(2).Hangup().ToString();
        Assert.Equal(Declaration + "<Response><Say voice=\"Polly.Joanna\" language=\"en-US\">Thanks for calling.</Say><Pause length=\"2\" /><Hangup /></Response>", xml);
    }

    [Fact]
    public void ConnectStream_MatchesProtocolSample()
    {
        string xml = new TwimlResponse()
            .ConnectStream("wss://example.com/audiostream", [new("FirstName", "Jane"), new("LastName", "Doe")])
            .Say("This TwiML instruction is unreachable unless the Stream is ended by your WebSocket server.")
            .ToString();
        Assert.Equal(
            Declaration + "<Response><Connect><Stream url=\"wss://example.com/audiostream\"><Parameter name=\"FirstName\" value=\"Jane\" /><Parameter name=\"LastName\" value=\"Doe\" /></Stream></Connect>"
            + "<Say>This TwiML instruction is unreachable unless the Stream is ended by your WebSocket server.</Say></Response>",
            xml);

        // protocols.md §2.6 sample, compared as parsed XML.
        const string sample = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Response>
              <Connect>
                <Stream url="wss://example.com/audiostream">
                  <Parameter name="FirstName" value="Jane" />
                  <Parameter name="LastName" value="Doe" />
                </Stream>
              </Connect>
              <Say>This TwiML instruction is unreachable unless the Stream is ended by your WebSocket server.</Say>
            </Response>
            """;
        Assert.True(XNode.DeepEquals(XDocument.Parse(sample).Root, XDocument.Parse(xml).Root));
    }

    [Fact]
    public void ConnectStream_NameAndStatusCallback()
    {
        string xml = new TwimlResponse().ConnectStream("wss://portal.example.com/twilio/media", name: "agent", statusCallback: "https://portal.example.com/twilio/stream-status?a=1&b=2").ToString();
        Assert.Equal(Declaration + "<Response><Connect><Stream url=\"wss://portal.example.com/twilio/media\" name=\"agent\" statusCallback=\"https://portal.example.com/twilio/stream-status?a=1&amp;b=2\" /></Connect></Response>", xml);
    }

    [Theory]
    [InlineData("https://example.com/stream")]
    [InlineData("ws://example.com/stream")]
    [InlineData("wss://example.com/stream?tenant=1")]
    [InlineData("")]
    public void ConnectStream_RejectsNonWssOrQueryString(string url)
    {
        Assert.ThrowsAny<ArgumentException>(() => new TwimlResponse().ConnectStream(url));
    }

    [Fact]
    public void ConnectStream_ParameterLengthLimit()
    {
        new TwimlResponse().ConnectStream("wss://x/s", [new("N", new string('v', 498))]); // 499 total: fine
        Assert.Throws<ArgumentException>(() => new TwimlResponse().ConnectStream("wss://x/s", [new("N", new string('v', 499))]));
        Assert.Throws<ArgumentException>(() => new TwimlResponse().ConnectStream("wss://x/s", [new("", "v")]));
    }

    [Fact]
    public void Dial_RendersNumberCallerIdAndTimeout()
    {
        string xml = new TwimlResponse().Dial("+14155550100", callerId: "+14155550199", timeoutSeconds: 20).ToString();
        Assert.Equal(Declaration + "<Response><Dial callerId=\"+14155550199\" timeout=\"20\"><Number>+14155550100</Number></Dial></Response>", xml);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TwimlResponse().Dial("+1", timeoutSeconds: 1));
        Assert.Throws<ArgumentException>(() => new TwimlResponse().Dial(" "));
    }

    [Fact]
    public void Record_RendersMaxLengthAndAction()
    {
        string xml = new TwimlResponse().Say("Leave a message.").Record(maxLengthSeconds: 120, action: "/twilio/voice/recorded", playBeep: true).ToString();
        Assert.Equal(Declaration + "<Response><Say>Leave a message.</Say><Record action=\"/twilio/voice/recorded\" maxLength=\"120\" playBeep=\"true\" /></Response>", xml);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TwimlResponse().Record(maxLengthSeconds: 0));
    }

    [Fact]
    public void Gather_RendersDtmfWithNestedPrompt()
    {
        string xml = new TwimlResponse().Gather("/twilio/voice/menu", numDigits: 1, timeoutSeconds: 5, prompt: "Press 1 for sales.", language: "en-US").Say("Goodbye.").ToString();
        Assert.Equal(
            Declaration + "<Response><Gather input=\"dtmf\" action=\"/twilio/voice/menu\" numDigits=\"1\" timeout=\"5\"><Say language=\"en-US\">Press 1 for sales.</Say></Gather><Say>Goodbye.</Say></Response>",
            xml);
        Assert.Equal(Declaration + "<Response><Gather input=\"dtmf\" action=\"/m\" /></Response>", new TwimlResponse().Gather("/m").ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TwimlResponse().Gather("/m", numDigits: 0));
    }

    [Fact]
    public void HostileText_IsEscaped()
    {
        const string hostile = "</Say><Hangup/><Say a=\"1\"> & 'quotes' \"double\" <![CDATA[x]]>";
        string xml = new TwimlResponse()
            .Say(hostile, voice: "\"><Hangup/>")
            .ConnectStream("wss://example.com/s", [new("Greeting", "Tom & \"Jerry\" <b>'hi'</b>")])
            .ToString();

        Assert.DoesNotContain("<Hangup", xml, StringComparison.Ordinal);
        Assert.Contains("&lt;/Say&gt;&lt;Hangup/&gt;", xml, StringComparison.Ordinal);
        Assert.Contains("&amp;", xml, StringComparison.Ordinal);
        Assert.Contains("voice=\"&quot;&gt;&lt;Hangup/&gt;\"", xml, StringComparison.Ordinal);

        XElement root = XDocument.Parse(xml).Root!;
        Assert.Equal(2, root.Elements().Count());
        XElement say = root.Element("Say")!;
        Assert.Equal(hostile, say.Value);
        Assert.Equal("\"><Hangup/>", say.Attribute("voice")!.Value);
        Assert.Equal("Tom & \"Jerry\" <b>'hi'</b>", root.Descendants("Parameter").Single().Attribute("value")!.Value);
    }

    [Fact]
    public void InvalidXmlCharacters_AreDropped_NotThrown()
    {
        string xml = new TwimlResponse().Say("Hi\u0001 there\u0000 \ud800 😀").ToString();
        Assert.Equal("Hi there  😀", XDocument.Parse(xml).Root!.Element("Say")!.Value);
    }

    [Fact]
    public void ToUtf8Bytes_HasNoBom()
    {
        byte[] bytes = new TwimlResponse().Say("é").ToUtf8Bytes();
        Assert.Equal((byte)'<', bytes[0]);
        Assert.Equal(Declaration + "<Response><Say>é</Say></Response>", System.Text.Encoding.UTF8.GetString(bytes));
        Assert.Equal("text/xml", TwimlResponse.ContentType);
    }
}
