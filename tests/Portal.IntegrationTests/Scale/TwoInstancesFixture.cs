using System.Net.WebSockets;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Portal.IntegrationTests.Infrastructure;
using Portal.IntegrationTests.Voice;
using Portal.Voice.Twilio;

namespace Portal.IntegrationTests.Scale;

/// <summary>One Portal instance on Kestrel (loopback, its own port) over a database another instance also serves.</summary>
public sealed class PortalInstance(string connectionString, string name) : PortalAppFactory(connectionString)
{
    public string Name { get; } = name;

    protected override bool UseRealServer => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        TwilioWebhookRequests.Configure(builder);
        // The key ring in the database, as a deployment of several machines keeps it: a token one instance protects, the other reads.
        builder.UseSetting("DataProtection:KeysInDatabase", "true");
        builder.UseSetting("Calls:SilentStreamTimeout", "00:05:00"); // the fake Twilio here sends media only when a test talks
    }

    public override string ToString() => Name;
}

/// <summary>Two instances of the app (two hosts, two Kestrel ports) over ONE fresh PostgreSQL database.</summary>
public sealed class TwoInstancesFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    public PortalInstance A { get; private set; } = null!;

    public PortalInstance B { get; private set; } = null!;

    public string ConnectionString => _database!.ConnectionString;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("portal_scale");
        A = new PortalInstance(_database.ConnectionString, "A");
        await A.InitializeAsync(); // migrates and seeds
        // The first key of the shared ring is made now, so B finds it when it starts (two first keys would each be trusted, but later).
        A.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("scale-test").Protect("warm");
        B = new PortalInstance(_database.ConnectionString, "B");
        await B.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    /// <summary>Polls <paramref name="read"/> until <paramref name="done"/> holds (generous timeout for a loaded machine; no fixed sleeps in the assertion).</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, what + " not reached in time");
            await Task.Delay(25);
        }
    }
}

/// <summary>Twilio's side of one Media Stream: sends <c>connected</c>, <c>start</c> and <c>stop</c>, reads what the server sends.</summary>
internal sealed class MediaStreamClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private long _sequence;

    public string StreamSid { get; } = "MZ" + Guid.NewGuid().ToString("N");

    public static async Task<MediaStreamClient> ConnectAsync(Uri server)
    {
        var client = new MediaStreamClient();
        await client._socket.ConnectAsync(new UriBuilder(server) { Scheme = "ws", Path = "/twilio/media" }.Uri, CancellationToken.None);
        return client;
    }

    private Task SendAsync(MediaStreamMessage message) => _socket.SendAsync(message.ToUtf8Json(), WebSocketMessageType.Text, true, CancellationToken.None);

    public async Task StartAsync(string callSid, string token)
    {
        await SendAsync(new ConnectedMessage("Call", "1.0.0"));
        await SendAsync(new StartMessage(++_sequence, StreamSid, "AC00000000000000000000000000000001", callSid, ["inbound"], MediaFormat.MuLaw8k,
            new Dictionary<string, string> { ["token"] = token }));
    }

    public Task StopAsync(string callSid) => SendAsync(new StopMessage(++_sequence, StreamSid, "AC00000000000000000000000000000001", callSid));

    /// <summary>Reads until <paramref name="until"/> holds (the message), or the server closes (null).</summary>
    public async Task<MediaStreamMessage?> ReadUntilAsync(Func<MediaStreamMessage, bool> until)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[1 << 16];
        while (true)
        {
            int length = 0;
            WebSocketReceiveResult result;
            do
            {
                result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), cts.Token);
                length += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return null;
            }

            Assert.True(MediaStreamMessage.TryParseOutbound(buffer.AsSpan(0, length), out var message, out var error), error);
            if (until(message))
            {
                return message;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
            catch (WebSocketException)
            {
            }
        }

        _socket.Dispose();
    }
}
