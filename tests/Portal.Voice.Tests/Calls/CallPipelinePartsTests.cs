using Portal.Voice.Calls;
using Portal.Voice.Pipeline;

namespace Portal.Voice.Tests.Calls;

public sealed class CallPipelinePartsTests
{
    [Fact]
    public void SentenceSplitter_JoinsTokenFragments_IntoSentences_KeepingDecimalsAndAbbreviations()
    {
        var splitter = new SentenceSplitter();
        var sentences = new List<string>();
        foreach (var token in new[] { "Dr", ". Smith ", "sees you at 3", ".5 hours", " past nine. Is", " that ok?", " Great" })
        {
            sentences.AddRange(splitter.Append(token));
        }

        Assert.Equal(["Dr. Smith sees you at 3.5 hours past nine.", "Is that ok?"], sentences);
        Assert.Equal("Great", splitter.Flush());
        Assert.Null(splitter.Flush());
    }

    [Fact]
    public void SentenceSplitter_CutsARunOnReply_AtACommaBeforeTheLimit()
    {
        string runOn = string.Join(", ", Enumerable.Repeat("and then another clause follows", 20));
        var sentences = SentenceSplitter.Split(runOn);
        Assert.True(sentences.Count > 1);
        Assert.All(sentences, s => Assert.True(s.Length <= SentenceSplitter.MaxSentenceLength));
        Assert.Equal(runOn.Replace(" ", "", StringComparison.Ordinal), string.Concat(sentences).Replace(" ", "", StringComparison.Ordinal));
    }

    [Fact]
    public void TurnDetector_SpeechFinal_EndsTheTurnAtOnce()
    {
        var detector = new CallerTurnDetector();
        Assert.Null(detector.OnTranscript("I need a", false, false, 0.8, 100, 600));
        Assert.True(detector.InTurn);
        var turn = detector.OnTranscript("I need a cleaning", true, true, 0.9, 100, 900);
        Assert.NotNull(turn);
        Assert.Equal("I need a cleaning", turn.Text);
        Assert.Equal(EndOfUtteranceReason.SpeechFinal, turn.Reason);
        Assert.False(detector.InTurn);
    }

    [Fact]
    public void TurnDetector_WhileDictating_WaitsForTheLongerSilence_AndJoinsTheParts()
    {
        var detector = new CallerTurnDetector(new CallerTurnOptions { SilenceMs = 500, DictationSilenceMs = 1500 }) { DictationActive = true };
        Assert.Null(detector.OnTranscript("five five five", true, true, 0.9, 0, 1000));
        for (long t = 1000; t < 2400; t += 20)
        {
            Assert.Null(detector.OnFrame(t, VadEvent.None));
        }

        Assert.Null(detector.OnTranscript("one two three four", true, true, 0.7, 2400, 3600));
        CallerUtterance? turn = null;
        for (long t = 2400; turn is null && t < 6000; t += 20)
        {
            turn = detector.OnFrame(t, VadEvent.None);
            if (turn is not null)
            {
                Assert.True(t >= 3600 + 1500);
            }
        }

        Assert.NotNull(turn);
        Assert.Equal("five five five one two three four", turn.Text);
        Assert.Equal(0, turn.StartMs);
        Assert.Equal(3600, turn.EndMs);
        Assert.Equal((0.9 * 3 + 0.7 * 4) / 7, turn.Confidence, 6);
    }

    [Fact]
    public void TurnDetector_WithoutDictation_EndsAfterTheSilenceThreshold_AndDropsBlips()
    {
        var detector = new CallerTurnDetector(new CallerTurnOptions { SilenceMs = 500, MinSpeechMs = 200 });
        Assert.Null(detector.OnTranscript("uh", true, false, 0.9, 0, 100)); // 100 ms: a blip
        CallerUtterance? turn = null;
        for (long t = 100; t < 1000; t += 20)
        {
            turn ??= detector.OnFrame(t, VadEvent.None);
        }

        Assert.Null(turn);
        Assert.False(detector.InTurn);
        Assert.Null(detector.OnTranscript("yes please", true, false, 0.9, 1000, 1600));
        Assert.Null(detector.OnFrame(2080, VadEvent.None));
        Assert.NotNull(detector.OnFrame(2100, VadEvent.None));
    }

    [Theory]
    [InlineData("+14155550123", "CA", true)]
    [InlineData("+13055550123", "FL", true)]
    [InlineData("+16175550123", "MA", true)]
    [InlineData("+12065550123", "WA", true)]
    [InlineData("+12125550123", "NY", false)]
    [InlineData("+15125550123", "TX", false)]
    [InlineData("+18005550123", null, false)]
    [InlineData("+442071234567", null, false)]
    [InlineData("anonymous", null, false)]
    [InlineData(null, null, false)]
    public void RecordingConsent_DerivesTheStateFromTheAreaCode(string? number, string? state, bool required)
    {
        Assert.Equal(state, RecordingConsent.StateOf(number));
        Assert.Equal(required, RecordingConsent.IsRequired(number));
    }

    [Theory]
    [InlineData("Yes, that's fine.", true)]
    [InlineData("sure", true)]
    [InlineData("No thanks", false)]
    [InlineData("I'd rather not", false)]
    [InlineData("yes, I mean no", false)]
    [InlineData("what?", null)]
    [InlineData("", null)]
    public void ParseYesNo_ReadsTheConsentAnswer(string text, bool? expected) =>
        Assert.Equal(expected, RecordingConsent.ParseYesNo(text));

    [Fact]
    public void Recorder_WritesAPcm16Wav_OfTheDecodedAudio_AndStopsAtTheLimit()
    {
        var recorder = new CallAudioRecorder(TimeSpan.FromSeconds(1));
        var frame = Enumerable.Repeat((byte)0x00, 160).ToArray(); // μ-law 0x00 = −32124
        for (int i = 0; i < 60; i++)
        {
            recorder.Append(frame);
        }

        Assert.True(recorder.IsFull);
        Assert.Equal(1000, recorder.DurationMs);
        var wav = recorder.ToWav();
        Assert.True(Portal.Voice.Audio.WavPcm.TryRead(wav, out var samples, out int rate, out var error), error);
        Assert.Equal(8000, rate);
        Assert.Equal(8000, samples.Length);
        Assert.All(samples, s => Assert.Equal(-32124, s));
    }
}
