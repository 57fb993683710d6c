using System.Xml.Linq;
using Portal.Voice.Twilio;

namespace Portal.Voice.Tests.Twilio;

/// <summary>The TwiML Portal answers with, rendered by the SDK's VoiceResponse (https://www.twilio.com/docs/voice/twiml).</summary>
public sealed class TwimlTests
{
    private const string Declaration = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";

    [Fact]
    public void SayThenHangup_RendersExactly()
    {
        Assert.Equal(Declaration + "<Response><Say>Thanks for calling.</Say><Hangup></Hangup></Response>", PortalTwiml.SayThenHangup("Thanks for calling."));
    }

    [Fact]
    public void ConnectStream_MatchesTwilioSample()
    {
        string xml = PortalTwiml.ConnectStream("wss://example.com/audiostream", [new("FirstName", "Jane"), new("LastName", "Doe")]);

        // https://www.twilio.com/docs/voice/twiml/stream#custom-parameters, compared as parsed XML.
        const string sample = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Response>
              <Connect>
                <Stream url="wss://example.com/audiostream">
                  <Parameter name="FirstName" value="Jane" />
                  <Parameter name="LastName" value="Doe" />
                </Stream>
              </Connect>
            </Response>
            """;
        Assert.StartsWith(Declaration, xml, StringComparison.Ordinal);
        Assert.Equal(Canonical(XDocument.Parse(sample).Root!), Canonical(XDocument.Parse(xml).Root!));
    }

    [Theory]
    [InlineData("https://example.com/stream")]
    [InlineData("ws://example.com/stream")]
    [InlineData("wss://example.com/stream?token=1")]
    [InlineData("/relative")]
    public void ConnectStream_RefusesAnythingButAPlainWssUrl(string url)
    {
        Assert.ThrowsAny<ArgumentException>(() => PortalTwiml.ConnectStream(url));
    }

    [Fact]
    public void ConnectStream_ParameterNameAndValueMustTotalUnder500()
    {
        PortalTwiml.ConnectStream("wss://x/s", [new("N", new string('v', 498))]); // 499 total: fine
        Assert.Throws<ArgumentException>(() => PortalTwiml.ConnectStream("wss://x/s", [new("N", new string('v', 499))]));
        Assert.Throws<ArgumentException>(() => PortalTwiml.ConnectStream("wss://x/s", [new("", "v")]));
    }

    [Fact]
    public void SayThenDial_DialsTheNumberWithTheTimeout_AndChecksIt()
    {
        var root = XDocument.Parse(PortalTwiml.SayThenDial("Connecting you.", "+14155550100", timeoutSeconds: 20)).Root!;

        Assert.Equal(["Say", "Dial"], root.Elements().Select(e => e.Name.LocalName));
        var dial = root.Element("Dial")!;
        Assert.Equal("20", dial.Attribute("timeout")!.Value);
        Assert.Equal("+14155550100", dial.Element("Number")!.Value);
        Assert.Equal(["Dial"], XDocument.Parse(PortalTwiml.SayThenDial(null, "+14155550100", 25)).Root!.Elements().Select(e => e.Name.LocalName));
        Assert.Throws<ArgumentOutOfRangeException>(() => PortalTwiml.SayThenDial(null, "+1", timeoutSeconds: 1));
        Assert.ThrowsAny<ArgumentException>(() => PortalTwiml.SayThenDial(null, " ", 25));
    }

    [Fact]
    public void SayThenRecord_RecordsWithABeep_AndReportsTheRecordingByPost()
    {
        var xml = PortalTwiml.SayThenRecord("Leave a message.", new Uri("https://portal.example.com/twilio/recording?t=1&u=2"), 120, "Goodbye.");
        var root = XDocument.Parse(xml).Root!;

        Assert.Equal(["Say", "Record", "Say", "Hangup"], root.Elements().Select(e => e.Name.LocalName));
        var record = root.Element("Record")!;
        Assert.Equal("120", record.Attribute("maxLength")!.Value);
        Assert.Equal("true", record.Attribute("playBeep")!.Value);
        Assert.Equal("https://portal.example.com/twilio/recording?t=1&u=2", record.Attribute("recordingStatusCallback")!.Value);
        Assert.Equal("POST", record.Attribute("recordingStatusCallbackMethod")!.Value);
        Assert.Equal("completed", record.Attribute("recordingStatusCallbackEvent")!.Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => PortalTwiml.SayThenRecord("x", new Uri("https://p.example.com/r"), 0, "bye"));
    }

    [Fact]
    public void HostileText_IsEscaped()
    {
        const string hostile = "</Say><Hangup/><Say a=\"1\"> & 'quotes' \"double\" <![CDATA[x]]>";
        var say = XDocument.Parse(PortalTwiml.SayThenHangup(hostile)).Root!;
        var stream = XDocument.Parse(PortalTwiml.ConnectStream("wss://example.com/s", [new("Greeting", "Tom & \"Jerry\" <b>'hi'</b>")])).Root!;

        Assert.Equal(["Say", "Hangup"], say.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(hostile, say.Element("Say")!.Value);
        Assert.Equal("Tom & \"Jerry\" <b>'hi'</b>", stream.Descendants("Parameter").Single().Attribute("value")!.Value);
    }

    [Fact]
    public void InvalidXmlCharacters_AreDropped_NotThrown()
    {
        string xml = PortalTwiml.SayThenHangup("Hi\u0001 there\u0000 \ud800 😀");
        Assert.Equal("Hi there  😀", XDocument.Parse(xml).Root!.Element("Say")!.Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => PortalTwiml.SayThenHangup(new string('a', PortalTwiml.MaxSayLength + 1)));
    }

    /// <summary>Names, attributes and text, ignoring whether an empty element is written &lt;a/&gt; or &lt;a&gt;&lt;/a&gt;.</summary>
    private static string Canonical(XElement element) =>
        $"<{element.Name.LocalName}{string.Concat(element.Attributes().Select(a => $" {a.Name}={a.Value}"))}>"
        + (element.HasElements ? string.Concat(element.Elements().Select(Canonical)) : element.Value);
}
