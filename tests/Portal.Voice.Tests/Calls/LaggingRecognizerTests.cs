using Portal.Voice.Calls;
using Portal.Voice.Pipeline;
using Portal.Voice.Twilio;

namespace Portal.Voice.Tests.Calls;

/// <summary>
/// End of turn waits for a recognizer that runs behind real time (pocketsphinx on a busy machine): the
/// turn does not end on silence or on <c>speech_final</c> while the recognizer still holds speech it has not transcribed.
/// </summary>
public sealed class LaggingRecognizerTests
{
    [Fact]
    public void TurnDetector_WhileTheRecognizerIsBehind_NeitherSpeechFinalNorSilenceEndsTheTurn()
    {
        var detector = new CallerTurnDetector(new CallerTurnOptions { SilenceMs = 500 }) { RecognizerPending = true };
        Assert.Null(detector.OnTranscript("what are your", true, true, 0.9, 100, 700));
        for (long t = 700; t < 4000; t += 20)
        {
            Assert.Null(detector.OnFrame(t, VadEvent.None));
        }

        Assert.Null(detector.OnTranscript("opening hours", true, true, 0.8, 900, 1600));
        detector.RecognizerPending = false; // caught up
        var turn = detector.OnFrame(4020, VadEvent.None);
        Assert.NotNull(turn);
        Assert.Equal("what are your opening hours", turn.Text);
        Assert.Equal(100, turn.StartMs);
        Assert.Equal(1600, turn.EndMs);
    }

    [Fact]
    public async Task SpokenCall_WhenTheRecognizerLags_AnswersTheWholeUtteranceOnce()
    {
        var stt = new FakeSpeechToText();
        var tts = new FakeStreamingTextToSpeech();
        var handler = new FakeCallHandler
        {
            Reply = u => u == "what are your opening hours" ? ("We're open nine to five.", MediaTurnState.Idle) : ("Sorry?", MediaTurnState.Idle),
        };
        var options = new MediaStreamSessionOptions { LeadFrames = 100_000, SilenceTimeout = TimeSpan.FromMinutes(5) };
        await using var call = await Call.StartAsync(handler, new RecordingTextToSpeech(), options, echoMarks: true, speechToText: stt, streaming: tts);
        await call.StartStreamAsync();
        await call.NextAsync<MarkMessage>();
        await Call.WaitUntilAsync(() => stt.Options is not null && !call.Session.AgentSpeaking, "recognizer open, greeting heard");

        // The recognizer's first utterance comes back while it still decodes the caller's second one.
        stt.Backlog = true;
        await call.AudioAsync(800);
        stt.Say("what are your", 0.9, 100, 600);
        await call.TranscriptsTakenAsync(stt);
        await call.AudioAsync(3000); // 3 s of audio time: by audio time alone the turn ended long ago
        stt.Say("opening hours", 0.85, 800, 1500);
        await call.TranscriptsTakenAsync(stt);
        stt.Backlog = false;
        await call.AudioAsync(200);

        await Call.WaitUntilAsync(() => tts.Texts.Contains("We're open nine to five."), "the answer");
        Assert.Equal(["what are your opening hours"], handler.Utterances);
    }

    [Fact]
    public async Task SpokenCall_WhenTheRecognizerNeverCatchesUp_EndsTheTurnAfterTheBound()
    {
        var stt = new FakeSpeechToText();
        var tts = new FakeStreamingTextToSpeech();
        var handler = new FakeCallHandler { Reply = _ => ("Okay.", MediaTurnState.Idle) };
        var options = new MediaStreamSessionOptions
        {
            LeadFrames = 100_000,
            SilenceTimeout = TimeSpan.FromMinutes(5),
            Turns = new CallerTurnOptions { MaxRecognizerWaitMs = 2000 },
        };
        await using var call = await Call.StartAsync(handler, new RecordingTextToSpeech(), options, echoMarks: true, speechToText: stt, streaming: tts);
        await call.StartStreamAsync();
        await call.NextAsync<MarkMessage>();
        await Call.WaitUntilAsync(() => stt.Options is not null && !call.Session.AgentSpeaking, "recognizer open, greeting heard");

        stt.Backlog = true; // stuck for good
        await call.AudioAsync(800);
        stt.Say("hello there", 0.9, 100, 600);
        await call.TranscriptsTakenAsync(stt);
        await call.AudioAsync(1000);
        Assert.Empty(handler.Utterances); // within the bound: still waiting (the turn would end at once without it)
        await call.AudioAsync(1500); // past 2 s of waiting

        await Call.WaitUntilAsync(() => handler.Utterances.Contains("hello there"), "the turn after the bound");
    }
}
