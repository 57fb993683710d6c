using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Fakes;
using Portal.Voice.SpeechToText;

namespace Portal.Voice.Tests.Providers;

public sealed class DeepgramSpeechToTextTests : IAsyncLifetime
{
    private FakeDeepgramServer _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeDeepgramServer.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private DeepgramSpeechToText Client(string? key = null, int keepAliveMs = 4000) => new(
        Options.Create(new DeepgramOptions { BaseUrl = _fake.BaseUrl.ToString(), ApiKey = key ?? FakeDeepgramServer.DefaultApiKey, Model = "nova-2-phonecall", KeepAliveIntervalMs = keepAliveMs }),
        NullLoggerFactory.Instance);

    private static async Task<List<TranscriptEvent>> ReadAllAsync(ISpeechToTextStream stream)
    {
        var events = new List<TranscriptEvent>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var e in stream.ReadTranscriptsAsync(timeout.Token))
        {
            events.Add(e);
        }

        return events;
    }

    [Fact]
    public async Task PhoneSpeech_WhenSpeechEnds_EmitsInterimThenSpeechFinalTranscript()
    {
        const string Said = "I would like a cleaning tomorrow at three";
        _fake.EnqueueTranscripts("I'd like a cleaning tomorrow at 3.");
        var audio = await SpokenAudio.UtteranceAsync(Said, AudioFormat.Phone);

        await using var stream = await Client().OpenAsync(new SpeechToTextOptions(AudioFormat.Phone, EndpointingMs: 300), CancellationToken.None);
        var reading = ReadAllAsync(stream);
        await SpokenAudio.SendFramesAsync(stream, audio, AudioFormat.Phone);
        await stream.CompleteAsync(CancellationToken.None);
        var events = await reading;

        var session = Assert.Single(_fake.Sessions);
        Assert.Equal("mulaw", session.Query["encoding"]);
        Assert.Equal("8000", session.Query["sample_rate"]);
        Assert.Equal("1", session.Query["channels"]);
        Assert.Equal("true", session.Query["interim_results"]);
        Assert.Equal("300", session.Query["endpointing"]);
        Assert.Equal("nova-2-phonecall", session.Query["model"]);
        Assert.Equal(audio, session.Audio());
        Assert.True(session.CloseStreamReceived);
        Assert.Equal("1000", session.Closed);

        var interim = events.First(e => !e.IsFinal);
        var final = Assert.Single(events, e => e.IsFinal && e.Text.Length > 0);
        Assert.True(events.IndexOf(interim) < events.IndexOf(final));
        Assert.Equal("I'd like", interim.Text);
        Assert.Equal("I'd like a cleaning tomorrow at 3.", final.Text);
        Assert.True(final.SpeechFinal);
        Assert.InRange(final.Confidence, 0.9, 1.0);
        // Speech starts after the 400 ms of leading silence and lasts about as long as espeak-ng spoke.
        Assert.InRange(final.StartMs, 300, 600);
        Assert.InRange(final.EndMs - final.StartMs, 1200, 4000);
        Assert.Contains(events, e => e.IsFinal && e.SpeechFinal && e.Text.Length == 0); // UtteranceEnd
        var deepgram = Assert.IsType<DeepgramSpeechToTextStream>(stream);
        Assert.NotNull(deepgram.RequestId);
        Assert.InRange(deepgram.ProcessedDurationSeconds!.Value, (audio.Length / 8000.0) - 0.03, audio.Length / 8000.0);
    }

    [Fact]
    public async Task WidebandLinear16_TwoUtterances_EachGetsItsTranscript()
    {
        _fake.EnqueueTranscripts("My name is Ana Lee.", "Yes.");
        byte[] audio = [.. await SpokenAudio.UtteranceAsync("My name is Ana Lee", AudioFormat.Wideband), .. await SpokenAudio.UtteranceAsync("yes please", AudioFormat.Wideband)];

        await using var stream = await Client().OpenAsync(new SpeechToTextOptions(AudioFormat.Wideband), CancellationToken.None);
        var reading = ReadAllAsync(stream);
        await SpokenAudio.SendFramesAsync(stream, audio, AudioFormat.Wideband);
        await stream.CompleteAsync(CancellationToken.None);
        var finals = (await reading).Where(e => e.IsFinal && e.Text.Length > 0).ToList();

        Assert.Equal("linear16", _fake.Sessions.Single().Query["sample_rate"] == "16000" ? _fake.Sessions.Single().Query["encoding"] : "wrong rate");
        Assert.Equal(["My name is Ana Lee.", "Yes."], finals.Select(f => f.Text));
        Assert.True(finals[1].StartMs > finals[0].EndMs);
    }

    [Fact]
    public async Task FixedPort_PerConnectionScript_AnswersEveryUtteranceWithItsTranscript()
    {
        // What tools/Portal.FakeVendors does: the fake on a port of its own, every utterance answered with one transcript.
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        await using var fixedFake = await FakeDeepgramServer.StartAsync(port);
        fixedFake.Script = (_, _) => "What are your opening hours?";
        Assert.Equal(new Uri($"ws://127.0.0.1:{port}/"), fixedFake.BaseUrl);
        byte[] audio = [.. await SpokenAudio.UtteranceAsync("what are your opening hours", AudioFormat.Phone), .. await SpokenAudio.UtteranceAsync("and on saturday", AudioFormat.Phone)];

        var client = new DeepgramSpeechToText(
            Options.Create(new DeepgramOptions { BaseUrl = fixedFake.BaseUrl.ToString(), ApiKey = FakeDeepgramServer.DefaultApiKey }),
            NullLoggerFactory.Instance);
        await using var stream = await client.OpenAsync(new SpeechToTextOptions(AudioFormat.Phone), CancellationToken.None);
        var reading = ReadAllAsync(stream);
        await SpokenAudio.SendFramesAsync(stream, audio, AudioFormat.Phone);
        await stream.CompleteAsync(CancellationToken.None);
        var finals = (await reading).Where(e => e.IsFinal && e.Text.Length > 0).ToList();

        Assert.Equal(["What are your opening hours?", "What are your opening hours?"], finals.Select(f => f.Text));
        Assert.Equal(2, Assert.Single(fixedFake.Sessions).Utterances);
        Assert.Empty(_fake.Sessions);
    }

    [Fact]
    public async Task Idle_KeepAliveSent_StreamStaysOpenPastServerTimeout()
    {
        // The server closes after 3 s without a message; KeepAlive every 100 ms. A busy machine may stall the sender for
        // a while, so the test waits for a count of KeepAlives that takes longer than the timeout to send (40 × 100 ms),
        // not for a fixed time, and the timeout leaves room for stalls of up to 3 s.
        _fake.IdleTimeoutMs = 3000;
        var opened = System.Diagnostics.Stopwatch.StartNew();
        await using var stream = await Client(keepAliveMs: 100).OpenAsync(new SpeechToTextOptions(AudioFormat.Phone), CancellationToken.None);
        var reading = ReadAllAsync(stream);

        var session = _fake.Sessions.Single();
        using (var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while ((session.KeepAlives < 40 || opened.ElapsedMilliseconds <= _fake.IdleTimeoutMs) && session.Closed is null)
            {
                await Task.Delay(50, bound.Token);
            }
        }

        Assert.Null(session.Closed);
        Assert.True(session.KeepAlives >= 40, $"only {session.KeepAlives} KeepAlive(s)");

        await stream.CompleteAsync(CancellationToken.None);
        Assert.Empty(await reading);
        Assert.Equal("1000", session.Closed);
    }

    [Fact]
    public async Task Idle_WithoutKeepAlive_ServerTimeoutFailsTheTranscriptStream()
    {
        _fake.IdleTimeoutMs = 300;
        await using var stream = await Client(keepAliveMs: 9000).OpenAsync(new SpeechToTextOptions(AudioFormat.Phone), CancellationToken.None);

        var error = await Assert.ThrowsAsync<SpeechProviderException>(() => ReadAllAsync(stream));
        Assert.Contains("NET-0001", error.Message);
        Assert.Equal("Deepgram", error.Provider);
    }

    [Fact]
    public async Task WrongKey_OpenFailsWithProviderError()
    {
        var error = await Assert.ThrowsAsync<SpeechProviderException>(() => Client(key: "wrong-key").OpenAsync(new SpeechToTextOptions(AudioFormat.Phone), CancellationToken.None));

        Assert.Contains("401", error.Message);
        Assert.DoesNotContain("wrong-key", error.ToString());
        Assert.Equal("401", Assert.Single(_fake.Refused));
        Assert.Empty(_fake.Sessions);
    }

    [Fact]
    public async Task MalformedServerMessages_AreSkipped_TranscriptStillArrives()
    {
        _fake.InjectRawMessage("{not json");
        _fake.InjectRawMessage("""{"type":"Results","channel":{}}""");
        _fake.InjectRawMessage("""{"type":"Mystery"}""");
        _fake.EnqueueTranscripts("Yes.");
        var audio = await SpokenAudio.UtteranceAsync("yes that is right", AudioFormat.Phone);

        await using var stream = await Client().OpenAsync(new SpeechToTextOptions(AudioFormat.Phone), CancellationToken.None);
        var reading = ReadAllAsync(stream);
        await SpokenAudio.SendFramesAsync(stream, audio, AudioFormat.Phone);
        await stream.CompleteAsync(CancellationToken.None);
        var events = await reading;

        Assert.Contains(events, e => e.IsFinal && e.Text == "Yes.");
        Assert.Equal(3, ((DeepgramSpeechToTextStream)stream).MalformedMessages);
    }

    [Fact]
    public async Task InstantFake_FinalWithoutInterim_AsSoonAsSpeechStops()
    {
        _fake.Instant = true;
        _fake.EnqueueTranscripts("Yes.");
        var audio = await SpokenAudio.UtteranceAsync("yes that is right", AudioFormat.Phone);

        await using var stream = await Client().OpenAsync(new SpeechToTextOptions(AudioFormat.Phone, EndpointingMs: 2000), CancellationToken.None);
        var reading = ReadAllAsync(stream);
        await SpokenAudio.SendFramesAsync(stream, audio, AudioFormat.Phone);
        await stream.CompleteAsync(CancellationToken.None);
        var events = await reading;

        var final = Assert.Single(events);
        Assert.Equal(("Yes.", true, true), (final.Text, final.IsFinal, final.SpeechFinal));
        Assert.DoesNotContain("Results/interim", _fake.Sessions.Single().SentTypes);
    }

    [Fact]
    public async Task SendAfterComplete_Throws()
    {
        await using var stream = await Client().OpenAsync(new SpeechToTextOptions(AudioFormat.Phone), CancellationToken.None);
        await stream.CompleteAsync(CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await stream.SendAudioAsync(new byte[160], CancellationToken.None));
    }
}
