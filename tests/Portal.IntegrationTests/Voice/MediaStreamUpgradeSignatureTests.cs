using Portal.Fakes.Twilio;
using System.Net;
using System.Net.WebSockets;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Numbers;
using Portal.Voice.Twilio;

namespace Portal.IntegrationTests.Voice;

/// <summary>
/// <c>X-Twilio-Signature</c> on the Media Streams WebSocket upgrade (docs/protocols/twilio.md): Twilio signs the <c>wss://</c> URL
/// of the TwiML's <c>&lt;Stream&gt;</c> (here behind a proxy: <see cref="MediaStreamFactory.PublicBaseUrl"/>, not the
/// Kestrel address). A matching signature or none is accepted; a wrong one gets 403 and no socket. The <c>start</c>
/// token check stays in force either way.
/// </summary>
public sealed class MediaStreamUpgradeSignatureTests(MediaStreamFactory app) : IClassFixture<MediaStreamFactory>
{
    private sealed record PlacedCall(string CallSid, string StreamUrl, string ConversationId, string Token);

    private async Task<PlacedCall> PlaceCallAsync(string business)
    {
        var tenant = await app.CreateTenantAsync(business);
        var number = await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<NumberPool>().HeldByAsync(tenant.TenantId, CancellationToken.None));
        var callSid = "CA" + Guid.NewGuid().ToString("N");
        var form = new Dictionary<string, string> { ["CallSid"] = callSid, ["CallStatus"] = "ringing", ["From"] = "+14155550199", ["To"] = number!.E164 };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/twilio/voice") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.HeaderName, TwilioRequestSigner.Sign(MediaStreamFactory.AuthToken, MediaStreamFactory.PublicBaseUrl + "/twilio/voice",
            form.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))));
        var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stream = XDocument.Parse(await response.Content.ReadAsStringAsync()).Descendants("Stream").Single();
        var parameters = stream.Elements("Parameter").ToDictionary(p => p.Attribute("name")!.Value, p => p.Attribute("value")!.Value);
        return new PlacedCall(callSid, stream.Attribute("url")!.Value, parameters["conversationId"], parameters["token"]);
    }

    private async Task<ClientWebSocket> ConnectAsync(string? signature)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (signature is not null)
        {
            socket.Options.SetRequestHeader(TwilioSignature.HeaderName, signature);
        }

        var uri = new UriBuilder(app.ServerAddress) { Scheme = "ws", Path = "/twilio/media" }.Uri;
        await socket.ConnectAsync(uri, CancellationToken.None);
        return socket;
    }

    /// <summary>Sends <c>connected</c> and <c>start</c>, then reads until the first message: true for agent <c>media</c>, false when the server closes.</summary>
    private static async Task<bool> StartAndHearAgentAsync(ClientWebSocket socket, PlacedCall call, string? token = null)
    {
        const string streamSid = "MZ00000000000000000000000000000001";
        await socket.SendAsync(new ConnectedMessage("Call", "1.0.0").ToUtf8Json(), WebSocketMessageType.Text, true, CancellationToken.None);
        var parameters = new Dictionary<string, string> { ["conversationId"] = call.ConversationId, ["token"] = token ?? call.Token };
        await socket.SendAsync(new StartMessage(1, streamSid, "AC00000000000000000000000000000001", call.CallSid, ["inbound"], MediaFormat.MuLaw8k, parameters).ToUtf8Json(),
            WebSocketMessageType.Text, true, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[1 << 16];
        while (true)
        {
            int length = 0;
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), timeout.Token);
                length += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return false;
            }

            if (MediaStreamMessage.TryParseOutbound(buffer.AsSpan(0, length), out var message, out _) && message is OutboundMediaMessage)
            {
                return true;
            }
        }
    }

    [Fact]
    public async Task Upgrade_SignedOverTheWssStreamUrl_IsAccepted_AndTheCallSpeaks()
    {
        var call = await PlaceCallAsync("Signed Upgrade Dental");
        Assert.StartsWith("wss://portal.example.test/", call.StreamUrl, StringComparison.OrdinalIgnoreCase);

        using var socket = await ConnectAsync(TwilioRequestSigner.Sign(MediaStreamFactory.AuthToken, call.StreamUrl));

        Assert.Equal(HttpStatusCode.SwitchingProtocols, socket.HttpStatusCode);
        Assert.True(await StartAndHearAgentAsync(socket, call));
    }

    [Theory]
    [InlineData("wrong-token")]
    [InlineData("https-url")]
    [InlineData("kestrel-url")]
    [InlineData("empty")]
    public async Task Upgrade_WithAWrongSignature_Is403_AndNoSocketOpens(string kind)
    {
        var call = await PlaceCallAsync("Forged Upgrade Dental " + kind);
        string signature = kind switch
        {
            "wrong-token" => TwilioRequestSigner.Sign("ffffffffffffffffffffffffffffffff", call.StreamUrl),
            "https-url" => TwilioRequestSigner.Sign(MediaStreamFactory.AuthToken, "https" + call.StreamUrl[3..]), // Twilio signs wss://, not https://
            "kestrel-url" => TwilioRequestSigner.Sign(MediaStreamFactory.AuthToken, $"wss://{app.ServerAddress.Authority}/twilio/media"), // not the public URL
            _ => "",
        };

        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader(TwilioSignature.HeaderName, signature);
        var uri = new UriBuilder(app.ServerAddress) { Scheme = "ws", Path = "/twilio/media" }.Uri;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    [Fact]
    public async Task Upgrade_WithoutASignature_IsAccepted_TheStartTokenDecides()
    {
        var call = await PlaceCallAsync("Unsigned Upgrade Dental");

        using var socket = await ConnectAsync(signature: null);

        Assert.Equal(HttpStatusCode.SwitchingProtocols, socket.HttpStatusCode);
        Assert.True(await StartAndHearAgentAsync(socket, call));
    }

    [Fact]
    public async Task Upgrade_ValidlySigned_ButStartCarriesAForgedToken_IsClosedWithoutMedia()
    {
        var call = await PlaceCallAsync("Signed Forged Token Dental");

        using var socket = await ConnectAsync(TwilioRequestSigner.Sign(MediaStreamFactory.AuthToken, call.StreamUrl));

        Assert.False(await StartAndHearAgentAsync(socket, call, token: call.Token[..^4] + "AAAA"));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
    }
}
