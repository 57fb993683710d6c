using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
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

    [Fact]
    public async Task Socket_RoundTrip_AudioMarkClearAndClose()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        var connect = client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var serverTcp = await listener.AcceptTcpClientAsync();
        await connect;
        using var serverSocket = WebSocket.CreateFromStream(serverTcp.GetStream(), new WebSocketCreationOptions { IsServer = true });
        using var browser = WebSocket.CreateFromStream(client.GetStream(), new WebSocketCreationOptions { IsServer = false });
        using var transport = new BrowserCallTransport(serverSocket, 24000);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var ct = cts.Token;

        var frame = new byte[640];
        frame[0] = 0x34;
        frame[1] = 0x12;
        await browser.SendAsync(frame, WebSocketMessageType.Binary, true, ct);
        var audio = await transport.ReceiveAsync(ct);
        Assert.Equal(CallTransportEventKind.Audio, audio.Kind);
        Assert.Equal(640, audio.Pcm16.Length);
        Assert.Equal(0x1234, BitConverter.ToInt16(audio.Pcm16.Span));

        await transport.SendAudioAsync(new byte[960], ct);
        await transport.SendMarkAsync("m1", ct);
        await transport.SendClearAsync(ct);
        var buf = new byte[2048];
        var r = await browser.ReceiveAsync(buf, ct);
        Assert.Equal((WebSocketMessageType.Binary, 960), (r.MessageType, r.Count));
        r = await browser.ReceiveAsync(buf, ct);
        Assert.Equal("{\"event\":\"mark\",\"name\":\"m1\"}", System.Text.Encoding.UTF8.GetString(buf, 0, r.Count));
        r = await browser.ReceiveAsync(buf, ct);
        Assert.Equal("{\"event\":\"clear\"}", System.Text.Encoding.UTF8.GetString(buf, 0, r.Count));

        await browser.SendAsync(new byte[3], WebSocketMessageType.Binary, true, ct);
        await Assert.ThrowsAsync<InvalidDataException>(async () => await transport.ReceiveAsync(ct));

        await browser.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", ct);
        Assert.Equal(CallTransportEventKind.Stop, (await transport.ReceiveAsync(ct)).Kind);
    }
}
