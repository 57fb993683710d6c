using System.Buffers;
using Portal.LoadDriver;
using Portal.Voice.Twilio;

namespace Portal.IntegrationTests.Voice;

/// <summary>
/// The load driver's measurement of what a caller hears (<see cref="CallerPlayout"/>) and its wire helpers, on
/// scripted arrival times (no clock, no server): underruns and late frames must be found when they happen and only then.
/// </summary>
public sealed class LoadDriverPlayoutTests
{
    private const int Frame = 160; // 20 ms of μ-law

    [Fact]
    public void Playout_FramesAheadOfTheirSlots_NoUnderrunNoLateFrame_MarkDueWhenTheAudioHasPlayed()
    {
        var playout = new CallerPlayout(quietMs: 800);
        // Five frames at once (the server's lead), then one every 20 ms: always ahead of playback.
        for (int i = 0; i < 5; i++)
        {
            playout.OnMedia(1000, Frame);
        }

        for (int i = 5; i < 50; i++)
        {
            playout.OnMedia(1000 + ((i - 4) * 20), Frame);
        }

        playout.OnMark(1920, "s1");
        var due = new List<string>();
        playout.TakeDueMarks(1999, due);
        Assert.Empty(due);
        playout.TakeDueMarks(2000, due); // 50 frames = 1000 ms of audio from t = 1000
        Assert.Equal(["s1"], due);

        Assert.Equal(0, playout.Underruns);
        Assert.Equal(0, playout.FramesLate);
        Assert.Equal(50, playout.FramesReceived);
        Assert.Equal(1000, playout.AudioReceivedMs);
        Assert.False(playout.IsQuiet(2500));
        Assert.True(playout.IsQuiet(1920 + 800));
    }

    [Fact]
    public void Playout_AudioResumesAfterTheBufferRanDryMidSentence_OneMidSentenceUnderrun_LaterFramesLate()
    {
        var playout = new CallerPlayout(quietMs: 800);
        playout.OnMedia(0, Frame);
        playout.OnMedia(20, Frame);
        playout.OnMedia(40, Frame); // buffer runs dry at 60
        playout.OnMedia(200, Frame); // 140 ms of silence inside the sentence; slot was 60
        playout.OnMedia(205, Frame); // slot 80 on the utterance's clock: late too

        Assert.Equal(1, playout.MidSentenceUnderruns);
        Assert.Equal(0, playout.BetweenSentenceUnderruns);
        Assert.Equal(140, playout.UnderrunMs, 3);
        Assert.Equal(2, playout.FramesLate);
        Assert.Equal(140, playout.MaxLateMs, 3);
    }

    [Fact]
    public void Playout_NextSentenceAfterAShortSilence_BetweenSentenceUnderrun_AfterTheQuietWindow_ANewUtterance()
    {
        var playout = new CallerPlayout(quietMs: 800);
        playout.OnMedia(0, Frame * 5); // 100 ms
        playout.OnMark(1, "s1");
        playout.OnMedia(300, Frame); // next sentence 200 ms after the first finished playing
        playout.OnMark(301, "s2");
        Assert.Equal(1, playout.BetweenSentenceUnderruns);
        Assert.Equal(200, playout.UnderrunMs, 3);

        playout.OnMedia(5000, Frame); // long after: the agent spoke again, not a gap in the same utterance
        Assert.Equal(1, playout.Underruns);
        Assert.Equal(3, playout.Sentences);
    }

    [Fact]
    public void Playout_CallerActsBetweenReplies_TheNextReplyIsANewUtterance_NoUnderrunCounted()
    {
        var playout = new CallerPlayout(quietMs: 800);
        playout.OnMedia(0, Frame);
        playout.OnMark(1, "s1");
        playout.BeginReply();
        Assert.Null(playout.FirstMediaSinceReplyMs);
        playout.OnMedia(400, Frame);
        Assert.Equal(0, playout.Underruns);
        Assert.Equal(400, playout.FirstMediaSinceReplyMs);
    }

    [Fact]
    public void Playout_Clear_DropsTheBufferMakesEveryPendingMarkDue_TheAnswerIsWhatComesAfter()
    {
        var playout = new CallerPlayout(quietMs: 800);
        playout.OnMedia(0, Frame * 100); // 2 s
        playout.OnMark(1, "a");
        playout.OnMedia(2, Frame * 100);
        playout.OnMark(3, "b");
        playout.OnClear(500);
        var due = new List<string>();
        playout.TakeDueMarks(500, due);
        Assert.Equal(["a", "b"], due);
        Assert.Equal(1, playout.Clears);
        Assert.Null(playout.FirstMediaSinceReplyMs); // the answer awaited is what comes after the clear
        Assert.False(playout.IsQuiet(500 + 800));
        playout.OnMedia(600, Frame);
        Assert.Equal(600, playout.FirstMediaSinceReplyMs);
        Assert.Equal(0, playout.Underruns);
        Assert.True(playout.IsQuiet(600 + 800));
    }

    [Fact]
    public void InboundMediaWriter_WritesWhatPortalsParserReadsAsTwilioMedia()
    {
        var writer = new InboundMediaWriter("MZ0123456789abcdef0123456789abcdef");
        var frame = Enumerable.Range(0, Frame).Select(i => (byte)i).ToArray();
        for (int k = 0; k < 2; k++) // the buffer is reused: the second message must be whole too
        {
            var json = writer.Write(41 + k, 40 + k, 780 + (k * 20), frame);
            Assert.True(MediaStreamMessage.TryParse(json.Span, out var parsed, out var error), error);
            var media = Assert.IsType<MediaMessage>(parsed);
            Assert.Equal(41 + k, media.SequenceNumber);
            Assert.Equal(40 + k, media.Chunk);
            Assert.Equal(780 + (k * 20), media.Timestamp);
            Assert.Equal("inbound", media.Track);
            Assert.Equal("MZ0123456789abcdef0123456789abcdef", media.StreamSid);
            Assert.Equal(frame, media.Payload.ToArray());
        }
    }

    [Theory]
    [InlineData(160)]
    [InlineData(161)]
    [InlineData(162)]
    public void AgentMessageReader_ReadsPortalsOutboundMessages(int payloadBytes)
    {
        var buffer = new ArrayBufferWriter<byte>();
        MediaStreamMessage.WriteOutboundMedia(buffer, "MZabc", new byte[payloadBytes]);
        Assert.Equal(AgentMessageKind.Media, AgentMessageReader.Read(buffer.WrittenSpan, out int bytes, out _));
        Assert.Equal(payloadBytes, bytes);

        Assert.Equal(AgentMessageKind.Mark, AgentMessageReader.Read(new MarkMessage(null, "MZabc", "s7").ToUtf8Json(), out _, out string? mark));
        Assert.Equal("s7", mark);
        Assert.Equal(AgentMessageKind.Clear, AgentMessageReader.Read(new ClearMessage("MZabc").ToUtf8Json(), out _, out _));
        Assert.Equal(AgentMessageKind.Invalid, AgentMessageReader.Read("{\"event\":\"media\",\"streamSid\":\"MZabc\"}"u8, out _, out _));
        Assert.Equal(AgentMessageKind.Invalid, AgentMessageReader.Read("not json"u8, out _, out _));
    }

    [Fact]
    public void Script_ParsesSpeechAndSingleKeys_RejectsAKeyThatIsNotOne()
    {
        var steps = ScriptStep.Parse("What are your hours?|dtmf:1|say:bye");
        Assert.Equal(["say:What are your hours?", "dtmf:1", "say:bye"], steps.Select(s => s.Label));
        Assert.Throws<FormatException>(() => ScriptStep.Parse("dtmf:12"));
        Assert.Throws<FormatException>(() => ScriptStep.Parse("dtmf:x"));
    }
}
