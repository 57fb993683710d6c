using System.Net.WebSockets;
using Portal.Voice.Calls;
using Portal.Voice.Twilio;

namespace Portal.Voice.Tests.Calls;

/// <summary>
/// Call delivery: what the caller heard is what is stored (by echoed marks) in every case, failures are polite, and the wire
/// is closed properly: barge-in during the greeting (also before its first mark came back), hang-up mid-reply, transfer,
/// start failure, idle and silent sockets, the close frame after stop.
/// </summary>
public sealed class CallDeliveryTests
{
    private const string ThreeSentenceGreeting = "Thanks for calling Test Dental. We book cleanings and checkups. How can I help?";

    /// <summary>Sentences paced in real time (no lead), 1 s of audio each: a mark comes back a second after its sentence starts.</summary>
    private static readonly MediaStreamSessionOptions Paced = new() { LeadFrames = 0, SilenceTimeout = TimeSpan.FromMinutes(5) };

    [Fact]
    public async Task BargeIn_DuringTheGreeting_StoresOnlyTheGreetingSentencesHeard()
    {
        var handler = new FakeCallHandler { Greeting = ThreeSentenceGreeting };
        await using var call = await Call.StartAsync(handler, new RecordingTextToSpeech { Seconds = 1 }, Paced, echoMarks: true);
        await call.StartStreamAsync();
        await call.NextAsync<MarkMessage>(); // the first sentence played; its mark is echoed
        await Call.WaitUntilAsync(() => handler.Played.Any(p => p.Heard == "Thanks for calling Test Dental."), "first sentence reported heard");

        await call.AudioAsync(300);
        await call.AudioAsync(1000, loud: true); // the caller talks over the second sentence (longer than a backchannel)

        await call.NextAsync<ClearMessage>();
        await Call.WaitUntilAsync(() => !handler.Heard.IsEmpty, "greeting cut to what was heard");
        Assert.Equal(["Thanks for calling Test Dental."], handler.Heard);
        Assert.DoesNotContain(handler.Played, p => p.Complete);
    }

    [Fact]
    public async Task Greeting_HeardWhole_IsSettledAsStored_AndNotCut()
    {
        var handler = new FakeCallHandler { Greeting = ThreeSentenceGreeting };
        await using var call = await Call.StartAsync(handler, new RecordingTextToSpeech(), Paced, echoMarks: true);
        await call.StartStreamAsync();

        await Call.WaitUntilAsync(() => handler.Played.Contains((ThreeSentenceGreeting, true)), "greeting settled as heard");

        Assert.Empty(handler.Heard);
    }

    [Fact]
    public async Task CallerTurn_BeforeTheGreetingsMarkCameBack_CutsTheGreetingToNothingHeard()
    {
        var stt = new FakeSpeechToText();
        var handler = new FakeCallHandler();
        await using var call = await Call.StartAsync(handler, new RecordingTextToSpeech(), Paced, echoMarks: false, speechToText: stt);
        await call.StartStreamAsync();
        await call.NextAsync<MarkMessage>(); // the greeting is out; Twilio has not echoed its mark (yet)
        await Call.WaitUntilAsync(() => stt.Options is not null, "recognizer open");
        Assert.True(call.Session.AgentSpeaking);

        stt.Say("Where are you located?", 0.9, 0, 900);

        await call.NextAsync<ClearMessage>();
        await Call.WaitUntilAsync(() => !handler.Heard.IsEmpty, "greeting cut to what was heard");
        Assert.Equal([""], handler.Heard); // no sentence of it is known to have been played: stored empty, interrupted
        Assert.Empty(handler.Played);
    }

    [Fact]
    public async Task HangUp_MidReply_StoresTheSentencesWhoseMarksCameBack()
    {
        const string reply = "We are open nine to five. On Saturdays we open at ten. On Sundays we are closed.";
        var handler = new FakeCallHandler { Reply = _ => (reply, MediaTurnState.Idle) };
        await using var call = await Call.StartAsync(handler, new RecordingTextToSpeech { Seconds = 1 }, Paced, echoMarks: true);
        await call.StartStreamAsync();
        await call.DigitAsync("1");
        await Call.WaitUntilAsync(() => handler.Played.Any(p => p.Heard == "We are open nine to five."), "first reply sentence reported heard");

        await call.SendAsync(new StopMessage(call.Next(), Call.StreamSid, "AC1", "CA1")); // the caller hangs up

        await call.Run.WaitAsync(Call.Wait);
        Assert.Equal("We are open nine to five.", handler.Heard.Last());
        Assert.Equal(1, handler.Ends);
    }

    [Fact]
    public async Task Key0_WaitsUntilThePromptWasHeard_ThenTransfersAndStoresTheHandOver()
    {
        var handler = new FakeCallHandler { CanTransfer = true };
        await using var call = await Call.StartAsync(handler, new RecordingTextToSpeech(), Paced, echoMarks: true);
        await call.StartStreamAsync();

        await call.DigitAsync("0");

        await Call.WaitUntilAsync(() => !handler.TransfersStored.IsEmpty, "transfer stored");
        Assert.Equal([(CallPrompts.TransferRequest, CallPrompts.TransferPrompt)], handler.TransfersStored);
    }

    [Fact]
    public async Task StartFailure_IsApologizedFor_TheRecordClosed_AndTheCallHungUp()
    {
        var handler = new FakeCallHandler { StartFailure = new InvalidOperationException("database down") };
        var tts = new RecordingTextToSpeech();
        var call = await Call.StartAsync(handler, tts, Paced, echoMarks: true);
        await call.StartStreamAsync();

        await call.Run.WaitAsync(Call.Wait);
        await call.Reader.WaitAsync(Call.Wait);

        Assert.Equal(["InvalidOperationException"], handler.StartFailures);
        Assert.Contains(tts.Texts, t => CallPrompts.TechnicalDifficulties.StartsWith(t, StringComparison.Ordinal));
        Assert.NotEmpty(call.All.OfType<OutboundMediaMessage>());
        Assert.Equal(WebSocketCloseStatus.NormalClosure, call.CloseStatus);
        Assert.Equal(0, handler.Ends); // closed by StartFailedAsync, not as a normal end
        await call.DisposeAsync();
    }

    [Fact]
    public async Task Socket_WithoutAStart_IsClosedAfterTheStartTimeout()
    {
        var handler = new FakeCallHandler();
        var call = await Call.StartAsync(handler, new RecordingTextToSpeech(), Paced with { StartTimeout = TimeSpan.FromMilliseconds(200) });
        await call.SendAsync(new ConnectedMessage("Call", "1.0.0")); // connected, then nothing

        await call.Run.WaitAsync(Call.Wait);
        await call.Reader.WaitAsync(Call.Wait);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, call.CloseStatus);
        Assert.Empty(call.All);
        Assert.Equal(0, handler.Ends);
        await call.DisposeAsync();
    }

    [Fact]
    public async Task StartedStream_ThatFallsSilent_IsClosed_AndTheCallEnded()
    {
        var handler = new FakeCallHandler();
        var call = await Call.StartAsync(handler, new RecordingTextToSpeech(), Paced with { SilentStreamTimeout = TimeSpan.FromMilliseconds(500) }, echoMarks: true);
        await call.StartStreamAsync();

        await call.Run.WaitAsync(Call.Wait);
        await call.Reader.WaitAsync(Call.Wait);

        Assert.Equal(WebSocketCloseStatus.NormalClosure, call.CloseStatus);
        Assert.Equal(1, handler.Ends);
        await call.DisposeAsync();
    }

    [Fact]
    public async Task Stop_IsAnsweredWithACloseFrame()
    {
        var handler = new FakeCallHandler();
        var call = await Call.StartAsync(handler, new RecordingTextToSpeech(), Paced);
        await call.StartStreamAsync();
        await call.NextAsync<MarkMessage>();

        await call.SendAsync(new StopMessage(call.Next(), Call.StreamSid, "AC1", "CA1"));

        await call.Reader.WaitAsync(Call.Wait);
        await call.Run.WaitAsync(Call.Wait);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, call.CloseStatus);
        Assert.Equal(WebSocketState.Closed, call.Twilio.State);
        await call.DisposeAsync();
    }
}
