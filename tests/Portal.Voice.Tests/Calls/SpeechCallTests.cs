using System.Net.WebSockets;
using Portal.Voice.Calls;
using Portal.Voice.Twilio;

namespace Portal.Voice.Tests.Calls;

/// <summary>Spoken calls through a scripted recognizer and instant streaming text-to-speech, over a real loopback WebSocket.</summary>
public sealed class SpeechCallTests
{
    private static readonly MediaStreamSessionOptions Speech = new() { LeadFrames = 100_000, SilenceTimeout = TimeSpan.FromMinutes(5) };

    [Fact]
    public async Task ScriptedCall_BooksAnAppointment_SpeakingEachReplySentenceBySentence_AndHangsUpAtTheEnd()
    {
        var stt = new FakeSpeechToText();
        var tts = new FakeStreamingTextToSpeech();
        var handler = new FakeCallHandler
        {
            Reply = u => u switch
            {
                "I'd like to book a cleaning tomorrow at ten" => ("Sure, I can book a cleaning tomorrow at 10 AM. May I have your name?", new MediaTurnState(DictationSlot.Name, false, false)),
                "Jane Doe" => ("Thanks, Jane. What's the best number to reach you?", new MediaTurnState(DictationSlot.Phone, false, false)),
                "555 123 4567" => ("You're booked for a cleaning tomorrow at 10 AM. Goodbye!", new MediaTurnState(DictationSlot.None, true, false)),
                _ => ("Sorry?", MediaTurnState.Idle),
            },
        };
        await using var call = await Call.StartAsync(handler, new RecordingTextToSpeech(), Speech, echoMarks: true, speechToText: stt, streaming: tts);
        await call.StartStreamAsync();
        await call.NextAsync<MarkMessage>();
        Assert.Equal(["Thanks for calling Test Dental."], tts.Texts); // spoken call: no keypad menu
        // The greeting's mark must be back before the caller's words: a turn that ends while it is still out cuts the
        // greeting to nothing heard (CallDeliveryTests), and the scripted recognizer does not wait for the audio.
        await Call.WaitUntilAsync(() => stt.Options is not null && !call.Session.AgentSpeaking, "recognizer open, greeting heard");
        Assert.Equal(Portal.Voice.SpeechToText.AudioFormat.Phone, stt.Options!.Format);

        await call.AudioAsync(1800);
        stt.Say("I'd like to book a cleaning tomorrow at ten", 0.93, 200, 1700);
        await call.TranscriptsTakenAsync(stt);
        await Call.WaitUntilAsync(() => tts.Texts.Contains("May I have your name?"), "first reply");
        Assert.Contains("Sure, I can book a cleaning tomorrow at 10 AM.", tts.Texts);
        await Call.WaitUntilAsync(() => call.Session.DictationActive, "dictation");
        await Call.WaitUntilAsync(() => handler.Metrics.Count == 1 && !call.Session.AgentSpeaking, "first reply played");

        // Dictating a name: speech_final does not end the turn, and 1 s of silence is not enough either.
        stt.Say("Jane Doe", 0.9, 2000, 2600);
        await call.TranscriptsTakenAsync(stt);
        await call.AudioAsync(1800); // clock 3600: 1000 ms after the words
        await call.AudioTakenAsync(stt); // endpointing has seen all of it
        Assert.Single(handler.Utterances);
        await call.AudioAsync(600); // clock 4200: 1600 ms ≥ the 1500 ms dictation threshold
        await Call.WaitUntilAsync(() => handler.Utterances.Contains("Jane Doe"), "name turn");

        await Call.WaitUntilAsync(() => tts.Texts.Contains("What's the best number to reach you?"), "second reply");
        await Call.WaitUntilAsync(() => handler.Metrics.Count == 2 && !call.Session.AgentSpeaking, "second reply played");
        stt.Say("555 123 4567", 0.88, 4300, 5600);
        await call.TranscriptsTakenAsync(stt);
        await call.AudioAsync(3000);

        await call.Run.WaitAsync(Call.Wait);
        await call.Reader.WaitAsync(Call.Wait);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, call.CloseStatus);
        Assert.Equal(["I'd like to book a cleaning tomorrow at ten", "Jane Doe", "555 123 4567"], handler.Utterances);
        Assert.Contains("Goodbye!", tts.Texts);
        Assert.Equal(1, handler.Ends);
        Assert.DoesNotContain(call.All, m => m is ClearMessage); // nothing was talked over
        Assert.Empty(handler.Heard);
        var metrics = handler.Metrics.ToArray();
        Assert.Equal(3, metrics.Length);
        Assert.Equal(0.93, metrics[0].Confidence!.Value, 3);
        Assert.Equal(200, metrics[0].CallerStartMs);
        Assert.Equal(1700, metrics[0].CallerEndMs);
        Assert.All(metrics, m =>
        {
            Assert.NotNull(m.ModelLatencyMs);
            Assert.NotNull(m.SpeechLatencyMs);
            Assert.NotNull(m.FrameOutLatencyMs);
            Assert.NotNull(m.TranscriptLatencyMs);
            Assert.True(m.AgentEndMs >= m.AgentStartMs);
        });
    }

    [Fact]
    public async Task FirstSentence_IsSpokenBeforeTheReplyIsComplete()
    {
        var stt = new FakeSpeechToText();
        var tts = new FakeStreamingTextToSpeech();
        var hold = new TaskCompletionSource();
        var handler = new FakeCallHandler { HoldAfterFirstSentence = hold.Task, Reply = _ => ("We open at nine tomorrow. Anything else I can help with?", MediaTurnState.Idle) };
        await using var call = await Call.StartAsync(handler, new RecordingTextToSpeech(), Speech, echoMarks: true, speechToText: stt, streaming: tts);
        await call.StartStreamAsync();
        await call.NextAsync<MarkMessage>();
        await Call.WaitUntilAsync(() => stt.Options is not null && !call.Session.AgentSpeaking);

        stt.Say("When do you open tomorrow?", 0.9, 0, 900);

        await call.TranscriptsTakenAsync(stt);

        await Call.WaitUntilAsync(() => tts.Texts.Contains("We open at nine tomorrow."), "first sentence synthesized");
        await call.NextAsync<MarkMessage>(); // its audio and mark left while the reply is still being written
        Assert.DoesNotContain("Anything else I can help with?", tts.Texts);
        hold.SetResult();
        await Call.WaitUntilAsync(() => tts.Texts.Contains("Anything else I can help with?"), "second sentence");
    }

    [Fact]
    public async Task BargeIn_SendsClear_AndStoresOnlyTheSentencesWhoseMarksCameBack()
    {
        var stt = new FakeSpeechToText();
        var tts = new FakeStreamingTextToSpeech { Seconds = 1.0 };
        var handler = new FakeCallHandler { Reply = _ => ("First sentence here. Second sentence is much longer than that. Third one. Fourth one.", MediaTurnState.Idle) };
        await using var call = await Call.StartAsync(handler, new RecordingTextToSpeech(), Speech with { LeadFrames = 0 }, echoMarks: true, speechToText: stt, streaming: tts);
        await call.StartStreamAsync();
        await call.NextAsync<MarkMessage>(); // greeting
        await Call.WaitUntilAsync(() => stt.Options is not null && !call.Session.AgentSpeaking);

        stt.Say("Tell me about cleanings", 0.9, 0, 900);

        await call.TranscriptsTakenAsync(stt);
        await Call.WaitUntilAsync(() => tts.Texts.Contains("First sentence here."));
        await call.NextAsync<MarkMessage>(); // first sentence played (echoed at once by the fake Twilio)
        await call.AudioAsync(300);
        await call.AudioAsync(900, loud: true); // caller talks over the second sentence

        await call.NextAsync<ClearMessage>();
        await Call.WaitUntilAsync(() => !handler.Heard.IsEmpty, "truncation");
        Assert.Equal(["First sentence here."], handler.Heard);
        // Synthesis runs one sentence ahead of playback (no gap between sentences), never more: the third may have been
        // synthesized while the second played, the fourth never is.
        Assert.DoesNotContain("Fourth one.", tts.Texts);
    }

    [Fact]
    public async Task NextSentence_IsSynthesizedWhileTheCurrentOnePlays()
    {
        var stt = new FakeSpeechToText();
        var tts = new FakeStreamingTextToSpeech { Seconds = 1.0 };
        var handler = new FakeCallHandler { Reply = _ => ("First sentence here. Second sentence follows.", MediaTurnState.Idle) };
        await using var call = await Call.StartAsync(handler, new RecordingTextToSpeech(), Speech with { LeadFrames = 0 }, echoMarks: true, speechToText: stt, streaming: tts);
        await call.StartStreamAsync();
        await call.NextAsync<MarkMessage>(); // greeting
        await Call.WaitUntilAsync(() => stt.Options is not null && !call.Session.AgentSpeaking);

        stt.Say("Tell me about cleanings", 0.9, 0, 900);
        await call.TranscriptsTakenAsync(stt);
        await call.NextAsync<OutboundMediaMessage>(); // the first sentence (1 s of audio, paced in real time) has started

        // Long before the first sentence's second of audio has played, the second sentence is with the synthesizer.
        await Call.WaitUntilAsync(() => tts.Texts.Contains("Second sentence follows."), "second sentence synthesized during the first");
        Assert.True(call.Session.AgentSpeaking);
    }

    [Fact]
    public async Task Backchannel_WhileTheAgentSpeaks_DoesNotInterrupt()
    {
        var stt = new FakeSpeechToText();
        var tts = new FakeStreamingTextToSpeech { Seconds = 0.6 };
        var handler = new FakeCallHandler { Reply = _ => ("We have three dentists. All of them are great. Anything else?", MediaTurnState.Idle) };
        await using var call = await Call.StartAsync(handler, new RecordingTextToSpeech(), Speech with { LeadFrames = 0 }, echoMarks: true, speechToText: stt, streaming: tts);
        await call.StartStreamAsync();
        await call.NextAsync<MarkMessage>();
        await Call.WaitUntilAsync(() => stt.Options is not null && !call.Session.AgentSpeaking);

        stt.Say("Who works there?", 0.9, 0, 800);

        await call.TranscriptsTakenAsync(stt);
        await call.NextAsync<OutboundMediaMessage>();
        await call.AudioAsync(1000);
        await call.AudioAsync(400, loud: true);
        stt.Say("uh-huh", 0.9, 1000, 1400);
        await call.TranscriptsTakenAsync(stt);
        await call.AudioAsync(800);

        await call.NextAsync<MarkMessage>();
        await call.NextAsync<MarkMessage>();
        await call.NextAsync<MarkMessage>(); // all three sentences went out
        Assert.DoesNotContain(call.All, m => m is ClearMessage);
        Assert.Equal(["Who works there?"], handler.Utterances);
        Assert.Empty(handler.Heard);
    }

    [Fact]
    public async Task LowConfidence_AsksAgain_ThenFallsBackToTheKeypadMenu()
    {
        var stt = new FakeSpeechToText();
        var tts = new FakeStreamingTextToSpeech();
        var handler = new FakeCallHandler();
        await using var call = await Call.StartAsync(handler, new RecordingTextToSpeech(), Speech, echoMarks: true, speechToText: stt, streaming: tts);
        await call.StartStreamAsync();
        await call.NextAsync<MarkMessage>();
        await Call.WaitUntilAsync(() => stt.Options is not null && !call.Session.AgentSpeaking);

        stt.Say("mmm blah", 0.2, 0, 800);

        await call.TranscriptsTakenAsync(stt);
        await Call.WaitUntilAsync(() => tts.Texts.Contains(CallPrompts.SpeechReprompt), "reprompt");
        Assert.False(call.Session.KeypadMode);
        stt.Say("blah blah", 0.25, 1000, 1800);
        await call.TranscriptsTakenAsync(stt);
        await Call.WaitUntilAsync(() => tts.Texts.Contains(CallPrompts.KeypadFallback), "fallback");
        Assert.True(call.Session.KeypadMode);
        Assert.Empty(handler.Utterances);

        await call.DigitAsync("1");
        await Call.WaitUntilAsync(() => tts.Texts.Contains("We are open nine to five."));
        Assert.Equal([CallPrompts.HoursQuestion], handler.Utterances);
    }

    [Fact]
    public async Task RecognizerRefusing_ServesTheKeypadMenu()
    {
        var stt = new FakeSpeechToText { Refuse = true };
        var tts = new FakeStreamingTextToSpeech();
        await using var call = await Call.StartAsync(new FakeCallHandler(), new RecordingTextToSpeech(), Speech, echoMarks: true, speechToText: stt, streaming: tts);
        await call.StartStreamAsync();

        await Call.WaitUntilAsync(() => tts.Texts.Contains(CallPrompts.Menu.Split(", ")[0] + ", 2 for our address, 3 to leave a message, 0 to speak to someone."), "menu");
        Assert.True(call.Session.KeypadMode);
    }

    [Fact]
    public async Task MaxCallLength_SaysGoodbye_AndEndsTheCall()
    {
        var handler = new FakeCallHandler();
        var tts = new FakeStreamingTextToSpeech();
        await using var call = await Call.StartAsync(handler, new RecordingTextToSpeech(), Speech with { MaxCallLength = TimeSpan.FromSeconds(1) }, echoMarks: true, speechToText: new FakeSpeechToText(), streaming: tts);
        await call.StartStreamAsync();

        await call.Run.WaitAsync(Call.Wait);
        await call.Reader.WaitAsync(Call.Wait);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, call.CloseStatus);
        Assert.Contains("We've reached the time limit for this call.", tts.Texts);
        Assert.Contains("Thank you for calling, goodbye.", tts.Texts);
        Assert.Equal(1, handler.Ends);
    }

    [Fact]
    public async Task Recording_WhenTheCallerDeclines_NothingIsRecorded()
    {
        var stt = new FakeSpeechToText();
        var tts = new FakeStreamingTextToSpeech();
        var handler = new FakeCallHandler { RecordingEnabled = true, ConsentRequired = true };
        await using var call = await Call.StartAsync(handler, new RecordingTextToSpeech(), Speech, echoMarks: true, speechToText: stt, streaming: tts);
        await call.StartStreamAsync();
        await Call.WaitUntilAsync(() => tts.Texts.Contains("Do you consent to being recorded?"), "consent question");
        Assert.Contains(tts.Texts, t => t.Contains("I'm an AI assistant", StringComparison.Ordinal));
        await Call.WaitUntilAsync(() => stt.Options is not null && !call.Session.AgentSpeaking);

        await call.DigitAsync("3"); // before any answer: no recording
        await Call.WaitUntilAsync(() => tts.Texts.Contains("Sorry, voice messages are not available on this call."));
        stt.Say("no thanks", 0.9, 0, 700);
        await call.TranscriptsTakenAsync(stt);
        await Call.WaitUntilAsync(() => !handler.Consents.IsEmpty, "consent stored");
        Assert.Equal([false], handler.Consents);
        await call.DigitAsync("3");
        await call.AudioAsync(1000, loud: true);
        await call.DigitAsync("#");
        await Call.WaitUntilAsync(() => tts.Texts.Contains(CallPrompts.UnknownDigit), "both keys answered"); // in order: 3, then #
        Assert.False(call.Session.IsRecording);
        Assert.Empty(handler.Recordings);
        Assert.DoesNotContain(CallPrompts.MessagePrompt.Split(", ")[0] + ",", tts.Texts);
    }

    [Fact]
    public async Task Recording_AfterAYes_StoresTheCallersMessageAsWav()
    {
        var stt = new FakeSpeechToText();
        var tts = new FakeStreamingTextToSpeech();
        var handler = new FakeCallHandler { RecordingEnabled = true, ConsentRequired = true };
        await using var call = await Call.StartAsync(handler, new RecordingTextToSpeech(), Speech, echoMarks: true, speechToText: stt, streaming: tts);
        await call.StartStreamAsync();
        await Call.WaitUntilAsync(() => stt.Options is not null && !call.Session.AgentSpeaking);

        await call.AudioAsync(300); // line noise before anything: the voice detector learns the floor
        await call.DigitAsync("1"); // yes
        await Call.WaitUntilAsync(() => !handler.Consents.IsEmpty, "consent stored");
        Assert.Equal([true], handler.Consents);
        await call.DigitAsync("3");
        await Call.WaitUntilAsync(() => call.Session.IsRecording, "recording");
        await call.AudioAsync(1000, loud: true);
        await call.AudioAsync(200);
        await call.DigitAsync("#");

        await Call.WaitUntilAsync(() => !handler.Recordings.IsEmpty, "recording stored: " + string.Join(" | ", tts.Texts));
        var (wav, durationMs) = Assert.Single(handler.Recordings);
        Assert.Equal(1200, durationMs);
        Assert.Equal("RIFF"u8.ToArray(), wav[..4]);
        Assert.Equal(44 + (1200 * 8 * 2), wav.Length);
        Assert.True(Portal.Voice.Audio.WavPcm.TryRead(wav, out var samples, out int rate, out _));
        Assert.Equal(8000, rate);
        Assert.Contains(samples, s => Math.Abs((int)s) > 8000); // the caller's tone, not silence
        await Call.WaitUntilAsync(() => tts.Texts.Contains(CallPrompts.MessageSaved));
    }

    [Fact]
    public async Task EngineMessageFlow_RecordsTheCallersNextUtterance_WhenRecordingIsAllowed()
    {
        var stt = new FakeSpeechToText();
        var tts = new FakeStreamingTextToSpeech();
        var handler = new FakeCallHandler
        {
            RecordingEnabled = true, // a one-party-consent caller: no question needed
            Reply = u => u.StartsWith("I want to leave", StringComparison.Ordinal)
                ? ("Sure. What's your message?", new MediaTurnState(DictationSlot.Message, false, true))
                : ("Thanks, I've passed it on.", MediaTurnState.Idle),
        };
        await using var call = await Call.StartAsync(handler, new RecordingTextToSpeech(), Speech, echoMarks: true, speechToText: stt, streaming: tts);
        await call.StartStreamAsync();
        await Call.WaitUntilAsync(() => stt.Options is not null && !call.Session.AgentSpeaking);
        Assert.DoesNotContain(tts.Texts, t => t.Contains("consent", StringComparison.Ordinal));

        await call.AudioAsync(300);
        stt.Say("I want to leave a message", 0.9, 0, 300);
        await call.TranscriptsTakenAsync(stt);
        await Call.WaitUntilAsync(() => call.Session.IsRecording && call.Session.DictationActive, "recording the message");
        await call.AudioAsync(1500, loud: true);
        stt.Say("Please call me back about my crown", 0.9, 300, 1800);
        await call.TranscriptsTakenAsync(stt);
        await call.AudioAsync(1700); // the 1500 ms message threshold

        await Call.WaitUntilAsync(() => handler.Utterances.Count == 2, "message turn");
        var (wav, durationMs) = Assert.Single(handler.Recordings);
        Assert.True(durationMs >= 1500, durationMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("RIFF"u8.ToArray(), wav[..4]);
        Assert.False(call.Session.IsRecording);
    }
}
