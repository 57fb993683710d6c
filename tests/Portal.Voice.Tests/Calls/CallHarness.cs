using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Domain.Conversations;
using Portal.Voice.Audio;
using Portal.Voice.Calls;
using Portal.Voice.SpeechToText;
using Portal.Voice.TextToSpeech;
using Portal.Voice.Tests.Audio;
using Portal.Voice.Twilio;

namespace Portal.Voice.Tests.Calls;

/// <summary>A session on one end of a loopback TCP WebSocket and a fake Twilio on the other.</summary>
internal sealed class Call : IAsyncDisposable
{
    public const string StreamSid = "MZ00000000000000000000000000000001";
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static readonly byte[] SilenceFrame = Enumerable.Repeat((byte)0xFF, 160).ToArray();
    private static readonly byte[] LoudFrame = Enumerable.Range(0, 160).Select(i => MuLaw.EncodeSample((short)(12000 * Math.Sin(2 * Math.PI * 440 * i / 8000)))).ToArray();

    private readonly TcpListener _listener;
    private readonly TcpClient _client;
    private long _sequence;
    private long _clockMs;

    private Call(TcpListener listener, TcpClient client, WebSocket twilio, MediaStreamSession session, Task run, bool echoMarks)
    {
        _listener = listener;
        _client = client;
        Twilio = twilio;
        Session = session;
        Run = run;
        Reader = ReadAsync(echoMarks);
    }

    public WebSocket Twilio { get; }

    public MediaStreamSession Session { get; }

    public Task Run { get; }

    public Task Reader { get; }

    public Channel<MediaStreamMessage> Received { get; } = Channel.CreateUnbounded<MediaStreamMessage>();

    public ConcurrentQueue<MediaStreamMessage> All { get; } = new();

    public WebSocketCloseStatus? CloseStatus { get; private set; }

    /// <summary>Stream time of the next inbound frame, ms.</summary>
    public long ClockMs => Interlocked.Read(ref _clockMs);

    public static async Task<Call> StartAsync(
        IMediaCallHandler handler,
        ITextToSpeech tts,
        MediaStreamSessionOptions options,
        bool echoMarks = false,
        ISpeechToText? speechToText = null,
        IStreamingTextToSpeech? streaming = null)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var server = await listener.AcceptTcpClientAsync();
        var serverSocket = WebSocket.CreateFromStream(server.GetStream(), isServer: true, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
        var twilio = WebSocket.CreateFromStream(client.GetStream(), isServer: false, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
        var session = new MediaStreamSession(serverSocket, handler, new PhoneSpeechCache(tts), TimeProvider.System, NullLogger.Instance, options, speechToText, streaming);
        var run = Task.Run(() => session.RunAsync(CancellationToken.None));
        return new Call(listener, client, twilio, session, run, echoMarks);
    }

    public Task SendTextAsync(string json) => Twilio.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendAsync(MediaStreamMessage message) => Twilio.SendAsync(message.ToUtf8Json(), WebSocketMessageType.Text, true, CancellationToken.None);

    public long Next() => Interlocked.Increment(ref _sequence);

    public async Task StartStreamAsync(string token = "good")
    {
        await SendAsync(new ConnectedMessage("Call", "1.0.0"));
        await SendAsync(new StartMessage(Next(), StreamSid, "AC1", "CA1", ["inbound"], MediaFormat.MuLaw8k, new Dictionary<string, string> { ["token"] = token }));
    }

    public Task DigitAsync(string digit) => SendAsync(new DtmfMessage(Next(), StreamSid, "inbound_track", digit));

    /// <summary>
    /// Waits until the session has taken every transcript <paramref name="stt"/> queued. Transcripts and media frames travel
    /// on separate streams, so a test that sends silence after a transcript must wait here first, or a busy machine may
    /// deliver all the silence before the words and the turn never ends.
    /// </summary>
    public Task TranscriptsTakenAsync(FakeSpeechToText stt) =>
        WaitUntilAsync(() => Session.TranscriptsHandled >= stt.Sent, "transcripts taken");

    /// <summary>
    /// Waits until the session has taken every caller frame sent so far: a frame reaches <paramref name="stt"/> only after
    /// voice activity, barge-in and endpointing have seen it. For calls whose recognizer was open for all the audio sent.
    /// </summary>
    public Task AudioTakenAsync(FakeSpeechToText stt) =>
        WaitUntilAsync(() => stt.AudioBytes >= ClockMs / 20 * SilenceFrame.Length, "audio taken");

    /// <summary>Sends <paramref name="ms"/> of caller audio (silence or a loud tone) as 20 ms frames, advancing stream time.</summary>
    public async Task AudioAsync(int ms, bool loud = false)
    {
        for (int t = 0; t < ms; t += 20)
        {
            long ts = Interlocked.Add(ref _clockMs, 20) - 20;
            await SendAsync(new MediaMessage(Next(), StreamSid, "inbound", Next(), ts, loud ? LoudFrame : SilenceFrame));
        }
    }

    public async Task<T> NextAsync<T>(Func<T, bool>? where = null)
        where T : MediaStreamMessage
    {
        using var cts = new CancellationTokenSource(Wait);
        while (true)
        {
            var message = await Received.Reader.ReadAsync(cts.Token);
            if (message is T t && (where is null || where(t)))
            {
                return t;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Twilio.State == WebSocketState.Open)
        {
            await SendAsync(new StopMessage(Next(), StreamSid, "AC1", "CA1"));
        }

        await Run.WaitAsync(Wait);
        Twilio.Dispose();
        _client.Dispose();
        _listener.Stop();
        Session.Dispose();
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what = "condition")
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what + " not met in time");
            await Task.Delay(20);
        }
    }

    private async Task ReadAsync(bool echoMarks)
    {
        var buffer = new byte[1 << 16];
        try
        {
            while (true)
            {
                int length = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await Twilio.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseStatus = result.CloseStatus;
                    await Twilio.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    break;
                }

                Assert.True(MediaStreamMessage.TryParseOutbound(buffer.AsSpan(0, length), out var message, out var error), error);
                All.Enqueue(message);
                await Received.Writer.WriteAsync(message);
                if (echoMarks && message is MarkMessage mark)
                {
                    await SendAsync(new MarkMessage(Next(), StreamSid, mark.Name));
                }
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            Received.Writer.TryComplete();
        }
    }
}
