using System.Net.WebSockets;
using Portal.Voice.Calls;
using Portal.Voice.Twilio;

namespace Portal.Voice.Tests.Calls;

public sealed class MediaStreamSessionTests
{
    private static readonly MediaStreamSessionOptions Fast = new() { LeadFrames = 100_000, SilenceTimeout = TimeSpan.FromMinutes(5) };

    [Fact]
    public async Task Start_WithValidToken_SpeaksGreetingAndMenuAs160ByteFramesWithAMarkPerSentence()
    {
        var tts = new RecordingTextToSpeech();
        await using var call = await Call.StartAsync(new FakeCallHandler(), tts, Fast);
        await call.StartStreamAsync();

        var media = await call.NextAsync<OutboundMediaMessage>();
        Assert.Equal(Call.StreamSid, media.StreamSid);
        Assert.Equal(160, media.Payload.Length);
        var mark = await call.NextAsync<MarkMessage>();
        Assert.Equal(Call.StreamSid, mark.StreamSid);
        await call.NextAsync<MarkMessage>();
        Assert.Contains("Thanks for calling Test Dental.", tts.Texts);
        Assert.Contains(CallPrompts.Menu, tts.Texts);
    }

    [Fact]
    public async Task Start_WithForgedToken_ClosesWithPolicyViolationAndSendsNoMedia()
    {
        var handler = new FakeCallHandler();
        await using var call = await Call.StartAsync(handler, new RecordingTextToSpeech(), Fast);
        await call.StartStreamAsync(token: "forged");

        await call.Run.WaitAsync(Call.Wait);
        await call.Reader.WaitAsync(Call.Wait);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, call.CloseStatus);
        Assert.False(call.Received.Reader.TryRead(out _));
        Assert.Equal(0, handler.Ends);
    }

    [Fact]
    public async Task Dtmf1_AsksTheHoursQuestionAsATurn_AndSpeaksTheReply()
    {
        var handler = new FakeCallHandler();
        var tts = new RecordingTextToSpeech();
        await using var call = await Call.StartAsync(handler, tts, Fast);
        await call.StartStreamAsync();
        await call.NextAsync<MarkMessage>();

        await call.DigitAsync("1");

        await WaitUntilAsync(() => tts.Texts.Contains("We are open nine to five."));
        Assert.Equal([CallPrompts.HoursQuestion], handler.Utterances);
    }

    [Fact]
    public async Task Dtmf_WhileSpeaking_SendsClearBeforeTheAnswer()
    {
        var handler = new FakeCallHandler();
        var tts = new RecordingTextToSpeech { Seconds = 2 };
        await using var call = await Call.StartAsync(handler, tts, Fast with { LeadFrames = 0 });
        await call.StartStreamAsync();
        await call.NextAsync<OutboundMediaMessage>();

        await call.DigitAsync("2");

        await call.NextAsync<ClearMessage>();
        await WaitUntilAsync(() => tts.Texts.Contains("We are at 1 Test Plaza."));
        Assert.Equal([CallPrompts.AddressQuestion], handler.Utterances);
    }

    [Fact]
    public async Task MalformedFrames_AreSkipped_AndTheCallGoesOn()
    {
        var handler = new FakeCallHandler();
        await using var call = await Call.StartAsync(handler, new RecordingTextToSpeech(), Fast);
        await call.StartStreamAsync();

        await call.SendTextAsync("{not json");
        await call.SendTextAsync("{\"event\":\"dtmf\",\"streamSid\":\"MZ1\"}");
        await call.SendTextAsync("{\"event\":\"" + new string('x', 70_000) + "\"}"); // over the 64 KiB limit
        await call.Twilio.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        await call.DigitAsync("2");

        await WaitUntilAsync(() => handler.Utterances.Contains(CallPrompts.AddressQuestion));
        Assert.Equal(WebSocketState.Open, call.Twilio.State);
    }

    [Fact]
    public async Task Stop_EndsTheConversationOnce()
    {
        var handler = new FakeCallHandler();
        var call = await Call.StartAsync(handler, new RecordingTextToSpeech(), Fast);
        await call.StartStreamAsync();
        await call.NextAsync<MarkMessage>();

        await call.DisposeAsync(); // sends stop

        Assert.True(call.Run.IsCompletedSuccessfully);
        Assert.Equal(1, handler.Ends);
    }

    [Fact]
    public async Task Dtmf0_WhenNoTransferIsPossible_SaysSo()
    {
        var handler = new FakeCallHandler { CanTransfer = false };
        var tts = new RecordingTextToSpeech();
        await using var call = await Call.StartAsync(handler, tts, Fast);
        await call.StartStreamAsync();
        await call.DigitAsync("0");

        await WaitUntilAsync(() => tts.Texts.Contains(CallPrompts.TransferUnavailable));
        Assert.Equal(1, handler.Transfers);
        Assert.Contains(CallPrompts.TransferPrompt, tts.Texts);
    }

    [Fact]
    public async Task Silence_RepromptsThreeTimes_ThenHangsUp()
    {
        var handler = new FakeCallHandler();
        var tts = new RecordingTextToSpeech();
        var options = Fast with { SilenceTimeout = TimeSpan.FromMilliseconds(300) };
        await using var call = await Call.StartAsync(handler, tts, options, echoMarks: true);
        await call.StartStreamAsync();

        await call.Run.WaitAsync(Call.Wait);
        await call.Reader.WaitAsync(Call.Wait);

        Assert.Equal(WebSocketCloseStatus.NormalClosure, call.CloseStatus);
        Assert.Single(tts.Texts, t => t == CallPrompts.RepromptPrefix); // cached after the first synthesis
        int marks = 0;
        while (call.Received.Reader.TryRead(out var message))
        {
            marks += message is MarkMessage ? 1 : 0;
        }

        Assert.Equal(2 + (3 * 2) + 2, marks); // greeting + menu, three reprompts of two sentences each, the two-sentence goodbye
        Assert.Contains("Thanks for calling, goodbye.", tts.Texts);
        Assert.Equal(1, handler.Ends);
    }

    [Fact]
    public async Task CallerSpeech_WhileTheAgentSpeaks_SendsClear()
    {
        var tts = new RecordingTextToSpeech { Seconds = 3 };
        await using var call = await Call.StartAsync(new FakeCallHandler(), tts, Fast with { LeadFrames = 0 });
        await call.StartStreamAsync();
        await call.NextAsync<OutboundMediaMessage>();

        var silence = new byte[160];
        Array.Fill(silence, (byte)0xFF);
        var loud = new byte[160];
        for (int i = 0; i < loud.Length; i++)
        {
            loud[i] = Portal.Voice.Audio.MuLaw.EncodeSample((short)(12000 * Math.Sin(2 * Math.PI * 440 * i / 8000)));
        }

        for (int k = 0; k < 60; k++)
        {
            await call.SendAsync(new MediaMessage(call.Next(), Call.StreamSid, "inbound", k + 1, k * 20, k < 15 ? silence : loud));
        }

        await call.NextAsync<ClearMessage>();
    }

    [Fact]
    public void Sentences_SplitsAfterTerminalPunctuation() =>
        Assert.Equal(["Hello there.", "Press 1!", "Bye"], MediaStreamSession.Sentences("Hello there.  Press 1! Bye"));

    private static Task WaitUntilAsync(Func<bool> condition) => Call.WaitUntilAsync(condition);
}
