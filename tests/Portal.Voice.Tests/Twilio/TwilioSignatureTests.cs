using Portal.Fakes.Twilio;
using Microsoft.Extensions.Primitives;
using Portal.Voice.Twilio;

namespace Portal.Voice.Tests.Twilio;

// Vectors from twilio-python/twilio-node/twilio-csharp tests (https://github.com/twilio/twilio-csharp/blob/main/test/Twilio.Test/Security/RequestValidatorTest.cs)
// checked through the SDK validator; the signer is the fakes' Twilio side.
public sealed class TwilioSignatureTests
{
    private const string Token = "12345";
    private const string Row1Url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private const string Row1Signature = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

    private static Dictionary<string, StringValues> Form(Dictionary<string, string?> fields) => fields.ToDictionary(p => p.Key, p => new StringValues(p.Value));

    private static Dictionary<string, string?> Params() => new()
    {
        ["CallSid"] = "CA1234567890ABCDE",
        ["Caller"] = "+14158675309",
        ["Digits"] = "1234",
        ["From"] = "+14158675309",
        ["To"] = "+18005551212",
    };

    [Theory]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")]
    [InlineData("https://mycompany.com:443/myapp.php?foo=1&bar=2", "kvajT1Ptam85bY51eRf/AJRuM3w=")]
    [InlineData("http://mycompany.com:80/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4=")]
    [InlineData("http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=")]
    [InlineData("https://mycompany.com:1234/myapp.php?foo=1&bar=2", "CYn1h0gLBdNxDGkKJg6hYohgeD8=")]
    [InlineData("https://MyCompany.com/myapp.php?foo=1&bar=2", "g9IN/x4Cft2g517EjYvEvM/W7LU=")]
    [InlineData("https://MyCompany.com:1234/myapp.php?foo=1&bar=2", "PCqOZm8cnu/L6+u5i5fuEd+Iac4=")]
    [InlineData("http://MyCompany.com/myapp.php?foo=1&bar=2", "XY7AlKOKL6im4yWyX84gldUrtis=")]
    [InlineData("http://username:password@MyCompany.com/myapp.php?foo=1&bar=2", "PJ08CxXr7KLPjEQCTc8LkUSMwSM=")]
    [InlineData("HTTP://username:password@MyCompany.com/myapp.php?foo=1&bar=2", "hy/l8pca+LFms4cvRdv8uiP6NGc=")]
    [InlineData("http://Username:Password@MyCompany.com/myapp.php?foo=1&bar=2", "SkTSKyDJH9kUlhItI0slbgZ1UsI=")]
    public void Compute_SdkVectors_MatchAndValidate(string url, string expected)
    {
        Assert.Equal(expected, TwilioRequestSigner.Sign(Token, url, Params()));
        Assert.True(TwilioSignature.IsValid(Token, url, Form(Params()), expected));
    }

    [Theory]
    [InlineData("https://mycompany.com:1234/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", true)] // port removed
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2", "kvajT1Ptam85bY51eRf/AJRuM3w=", true)] // :443 added
    [InlineData("http://mycompany.com/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4=", true)] // :80 added
    [InlineData("http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=", true)] // custom port kept
    [InlineData("https://MyCompany.com/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", false)] // host case matters
    [InlineData("https://MyCompany.com:1234/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", false)]
    [InlineData("http://MyCompany.com/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", false)]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2", "NOTRSOYDt4T1cUTdK1PDd93/VVr8B8=", false)]
    [InlineData("http://username:password@MyCompany.com:8080/myapp.php?foo=1&bar=2", "PJ08CxXr7KLPjEQCTc8LkUSMwSM=", true)] // userinfo kept when the port is removed
    public void IsValid_AcceptanceCases(string url, string header, bool valid)
    {
        Assert.Equal(valid, TwilioSignature.IsValid(Token, url, Form(Params()), header));
    }

    [Fact]
    public void Signer_SortsOrdinally_NotCultureAware()
    {
        // Culture-aware order (Caller before CallSid) gives OCo4gX…; it must be rejected.
        Assert.Equal(Row1Signature, TwilioRequestSigner.Sign(Token, Row1Url, Params().Reverse()));
        Assert.False(TwilioSignature.IsValid(Token, Row1Url, Form(Params()), "OCo4gXhGdqELQKuB5w7aI64nqCE="));
    }

    [Fact]
    public void RepeatedField_IsRefused_EvenWithASignatureOverEitherForm()
    {
        var form = new Dictionary<string, StringValues>
        {
            ["Sid"] = "CA123", ["SidAccount"] = "AC123", ["Digits"] = new(["5678", "1234"]),
        };
        var sortedPairs = TwilioRequestSigner.Sign(Token, Row1Url, form);
        var commaJoined = TwilioRequestSigner.Sign(Token, Row1Url, new Dictionary<string, string?> { ["Sid"] = "CA123", ["SidAccount"] = "AC123", ["Digits"] = "5678,1234" });

        Assert.False(TwilioSignature.IsValid(Token, Row1Url, form, sortedPairs));
        Assert.False(TwilioSignature.IsValid(Token, Row1Url, form, commaJoined));
    }

    [Fact]
    public void RealisticInboundCallAndStatusCallback_Validate()
    {
        const string token = "0123456789abcdef0123456789abcdef";
        var inbound = new Dictionary<string, string?>
        {
            ["AccountSid"] = "AC00000000000000000000000000000001", ["ApiVersion"] = "2010-04-01",
            ["CallSid"] = "CA00000000000000000000000000000001", ["CallStatus"] = "ringing",
            ["Called"] = "+14155550100", ["Caller"] = "+14155550199", ["Direction"] = "inbound",
            ["From"] = "+14155550199", ["To"] = "+14155550100",
        };
        Assert.True(TwilioSignature.IsValid(token, "https://portal.example.com/twilio/voice/incoming", Form(inbound), "d/ZcUv9jMyMX6SXdPTeIediI1UM="));

        var status = new Dictionary<string, StringValues>
        {
            ["AccountSid"] = "AC00000000000000000000000000000001", ["ApiVersion"] = "2010-04-01", ["CallDuration"] = "42",
            ["CallSid"] = "CA00000000000000000000000000000001", ["CallStatus"] = "completed",
            ["CallbackSource"] = "call-progress-events", ["Called"] = "+14155550100", ["Caller"] = "+14155550199",
            ["Direction"] = "outbound-api", ["Duration"] = "1", ["From"] = "+14155550100", ["SequenceNumber"] = "3",
            ["Timestamp"] = "Tue, 31 Aug 2010 20:36:44 +0000", ["To"] = "+14155550199",
        };
        Assert.Equal("WiC3/ZSz5tuGPgMKoLmQ7nEUtrM=", TwilioRequestSigner.Sign(token, "https://portal.example.com/twilio/voice/status", status));
        Assert.True(TwilioSignature.IsValid(token, "https://portal.example.com/twilio/voice/status", status, "WiC3/ZSz5tuGPgMKoLmQ7nEUtrM="));
    }

    [Fact]
    public void WebSocketHandshake_SignsTheWssUrl()
    {
        const string token = "0123456789abcdef0123456789abcdef";
        Assert.Equal("1+o6fd8efpo8Yi9+iblAdR4j4/Q=", TwilioRequestSigner.Sign(token, "wss://portal.example.com/twilio/media"));
        Assert.True(TwilioSignature.IsValid(token, "wss://portal.example.com/twilio/media", "1+o6fd8efpo8Yi9+iblAdR4j4/Q="));
        Assert.True(TwilioSignature.IsValid(Token, "wss://mycompany.com/media", "okykUWKkAOgQseVjzERZh4soLeU="));
        Assert.False(TwilioSignature.IsValid(Token, "wss://mycompany.com/media2", "okykUWKkAOgQseVjzERZh4soLeU="));
        // The https:// URL ASP.NET sees behind a proxy is not what Twilio signed.
        Assert.False(TwilioSignature.IsValid(Token, "https://mycompany.com/media", "okykUWKkAOgQseVjzERZh4soLeU="));
    }

    [Fact]
    public void ExtraVectors_NoParamsUnicodeAndEmptyValue()
    {
        Assert.Equal("zYQTYrRWXE7LtzbG4PfP7/bkkGo=", TwilioRequestSigner.Sign(Token, Row1Url));
        Assert.True(TwilioSignature.IsValid(Token, Row1Url, "zYQTYrRWXE7LtzbG4PfP7/bkkGo="));
        Assert.Equal("atT/tw/z9UUOf7+Hdo0936VYnKA=", TwilioRequestSigner.Sign(Token, Row1Url, new Dictionary<string, string?> { ["Body"] = "Héllo wörld ✓" }));
        Assert.Equal("uXtHc8ab5V2z5+dpDjSiUdvuhzo=", TwilioRequestSigner.Sign(Token, Row1Url, new Dictionary<string, string?> { ["Digits"] = "", ["From"] = "+14158675309" }));
        Assert.Equal("uXtHc8ab5V2z5+dpDjSiUdvuhzo=", TwilioRequestSigner.Sign(Token, Row1Url, new Dictionary<string, string?> { ["Digits"] = null, ["From"] = "+14158675309" }));
    }

    [Fact]
    public void Tampering_IsRejected()
    {
        Assert.True(TwilioSignature.IsValid(Token, Row1Url, Form(Params()), Row1Signature));

        var changedValue = Params();
        changedValue["To"] = "+18005551213";
        Assert.False(TwilioSignature.IsValid(Token, Row1Url, Form(changedValue), Row1Signature));

        var added = Params();
        added["Extra"] = "1";
        Assert.False(TwilioSignature.IsValid(Token, Row1Url, Form(added), Row1Signature));

        var removed = Params();
        removed.Remove("Digits");
        Assert.False(TwilioSignature.IsValid(Token, Row1Url, Form(removed), Row1Signature));

        Assert.False(TwilioSignature.IsValid(Token, "https://mycompany.com/myapp.php?foo=1&bar=3", Form(Params()), Row1Signature));
        Assert.False(TwilioSignature.IsValid(Token, "https://evil.com/myapp.php?foo=1&bar=2", Form(Params()), Row1Signature));
        Assert.False(TwilioSignature.IsValid("12346", Row1Url, Form(Params()), Row1Signature));
        Assert.False(TwilioSignature.IsValid(Token, Row1Url, Form(Params()), "rSOYDt4T1cUTdK1PDd93/VVr8B8="));
        Assert.False(TwilioSignature.IsValid(Token, Row1Url, Form(Params()), null));
        Assert.False(TwilioSignature.IsValid(Token, Row1Url, Form(Params()), ""));
    }

    [Fact]
    public void MissingTokenOrUrl_Throws()
    {
        Assert.Throws<ArgumentException>(() => TwilioSignature.IsValid("", Row1Url, Row1Signature));
        Assert.Throws<ArgumentException>(() => TwilioSignature.IsValid(Token, "", Row1Signature));
        Assert.Throws<ArgumentException>(() => TwilioSignature.IsValid("", Row1Url, "short"));
    }
}
