using System.Collections.Concurrent;
using System.Diagnostics;
using Portal.Domain.Observability;
using Portal.Voice.Calls;
using Portal.Voice.Twilio;

namespace Portal.Voice.Tests.Calls;

/// <summary>The call loop's spans: a <c>call</c> span for the call and, per spoken reply, a <c>turn</c> with its stage spans.</summary>
public sealed class CallTelemetryTests
{
    private static readonly MediaStreamSessionOptions Speech = new() { LeadFrames = 100_000, SilenceTimeout = TimeSpan.FromMinutes(5) };
    private const string TestSourceName = "Portal.Voice.Tests.Telemetry";
    private static readonly ActivitySource TestSource = new(TestSourceName);

    [Fact]
    public async Task SpokenTurn_IsTracedAsATurnUnderTheCall_WithRecognitionDialogueSynthesisAndFirstFrame()
    {
        var started = new ConcurrentQueue<Activity>();
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == PortalTelemetry.SourceName || s.Name == TestSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = started.Enqueue,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        // Parallel test classes run calls too: this test's call is the one under its own root span.
        using var root = TestSource.StartActivity("test")!;
        var stt = new FakeSpeechToText();
        var tts = new FakeStreamingTextToSpeech();
        var handler = new FakeCallHandler { Reply = _ => ("We open at nine tomorrow.", MediaTurnState.Idle) };
        await using var call = await Call.StartAsync(handler, new RecordingTextToSpeech(), Speech, echoMarks: true, speechToText: stt, streaming: tts);
        await call.StartStreamAsync();
        await call.NextAsync<MarkMessage>();
        await Call.WaitUntilAsync(() => stt.Options is not null && !call.Session.AgentSpeaking);

        await call.AudioAsync(1000);
        stt.Say("When do you open tomorrow?", 0.9, 0, 900);
        await call.TranscriptsTakenAsync(stt);
        await Call.WaitUntilAsync(() => handler.Metrics.Count == 1, "reply played");

        // The turn span is written just before the turn's figures are handed to the handler.
        var callSpan = Assert.Single(started, a => a.OperationName == "call" && a.ParentSpanId == root.SpanId);
        var turn = Assert.Single(stopped, a => a.OperationName == "turn" && a.ParentSpanId == callSpan.SpanId);
        Assert.Equal("CA1", callSpan.GetTagItem(PortalTelemetry.CallSidTag));
        var children = stopped.Where(a => a.ParentSpanId == turn.SpanId).ToList();
        Assert.Equal(["dialogue", "first_frame", "recognition", "synthesis"], children.Select(c => c.OperationName).Order().ToArray());
        Assert.All(children, c =>
        {
            Assert.True(c.StartTimeUtc >= turn.StartTimeUtc, $"{c.OperationName} starts inside the turn: {c.StartTimeUtc:O} {c.Duration} vs {turn.StartTimeUtc:O} {turn.Duration}");
            Assert.True(c.StartTimeUtc + c.Duration <= turn.StartTimeUtc + turn.Duration, c.OperationName + " ends inside the turn");
        });
    }
}
