using Portal.Voice.Pipeline;

namespace Portal.Voice.Tests.Pipeline;

public sealed class BargeInDetectorTests
{
    /// <summary>Agent speaks over [agentFrom, agentTo); caller speech as VAD segments; hints at given frames.</summary>
    private static List<BargeIn> Run(
        BargeInDetector detector, long totalMs, (long Start, long End)[] speech, long agentFrom = 0, long agentTo = long.MaxValue,
        Func<long, BargeIn?>? atFrame = null)
    {
        var result = new List<BargeIn>();
        for (long t = 0; t < totalMs; t += 20)
        {
            if (detector.OnFrame(t, Timeline.EventAt(t, speech), t >= agentFrom && t < agentTo) is { } b)
            {
                result.Add(b);
            }

            if (atFrame?.Invoke(t) is { } hinted)
            {
                result.Add(hinted);
            }
        }

        return result;
    }

    [Fact]
    public void ShortBackchannel_WithoutTranscript_DoesNotInterrupt()
    {
        Assert.Empty(Run(new BargeInDetector(), 5000, [(1000, 1400), (2500, 3040)]));
    }

    [Fact]
    public void LongSpeech_WithoutTranscript_InterruptsAt600ms()
    {
        BargeIn b = Assert.Single(Run(new BargeInDetector(), 5000, [(1000, 2500)]));
        Assert.Equal(new BargeIn(1600, 1000, BargeInTrigger.SpeechLength), b);
    }

    [Fact]
    public void ContentTranscript_After300ms_InterruptsAtOnce()
    {
        var detector = new BargeInDetector();
        var result = Run(detector, 5000, [(1000, 2500)], atFrame: t => t == 1360 ? detector.OnInterimTranscript("wait actually", isFinal: false) : null);
        Assert.Equal([new BargeIn(1360, 1000, BargeInTrigger.Transcript)], result);
    }

    [Fact]
    public void ContentTranscript_Before300msOfSpeech_WaitsForTheThreshold()
    {
        var detector = new BargeInDetector();
        var result = Run(detector, 5000, [(1000, 2500)], atFrame: t => t == 1200 ? detector.OnInterimTranscript("no", isFinal: false) : null);
        Assert.Equal([new BargeIn(1300, 1000, BargeInTrigger.Transcript)], result);
    }

    [Fact]
    public void BackchannelTranscript_SuppressesEvenLongerSpeech()
    {
        var detector = new BargeInDetector();
        var result = Run(detector, 5000, [(1000, 1900)], atFrame: t => t switch
        {
            1400 => detector.OnInterimTranscript("uh-huh", isFinal: false),
            1700 => detector.OnInterimTranscript("Uh-huh, yeah okay.", isFinal: true),
            _ => null,
        });
        Assert.Empty(result);
    }

    [Fact]
    public void BackchannelThenContent_InterruptsWhenTheContentArrives()
    {
        var detector = new BargeInDetector();
        var result = Run(detector, 5000, [(1000, 3000)], atFrame: t => t switch
        {
            1400 => detector.OnInterimTranscript("okay", isFinal: true),
            2000 => detector.OnInterimTranscript("but I need Thursday", isFinal: false),
            _ => null,
        });
        Assert.Equal([new BargeIn(2000, 1000, BargeInTrigger.Transcript)], result);
    }

    [Fact]
    public void LateContentTranscript_OfAShortSegment_StillInterrupts()
    {
        var detector = new BargeInDetector();
        var result = Run(detector, 5000, [(1000, 1460)], atFrame: t => t == 1800 ? detector.OnInterimTranscript("stop", isFinal: true) : null);
        Assert.Equal([new BargeIn(1800, 1000, BargeInTrigger.Transcript)], result);
    }

    [Fact]
    public void TooLateOrTooShortTranscripts_DoNotInterrupt()
    {
        var late = new BargeInDetector();
        Assert.Empty(Run(late, 5000, [(1000, 1460)], atFrame: t => t == 2600 ? late.OnInterimTranscript("stop", isFinal: true) : null));

        var tooShort = new BargeInDetector();
        Assert.Empty(Run(tooShort, 5000, [(1000, 1200)], atFrame: t => t == 1400 ? tooShort.OnInterimTranscript("no", isFinal: true) : null));
    }

    [Fact]
    public void CallerSpeech_WhileAgentSilent_IsNotABargeIn()
    {
        Assert.Empty(Run(new BargeInDetector(), 5000, [(1000, 3000)], agentFrom: 3500));
    }

    [Fact]
    public void SpeechThatStartedBeforeTheAgent_CountsFromTheAgentStart()
    {
        BargeIn b = Assert.Single(Run(new BargeInDetector(), 5000, [(1000, 3000)], agentFrom: 1500));
        Assert.Equal(new BargeIn(2100, 1000, BargeInTrigger.SpeechLength), b);
    }

    [Fact]
    public void OneBargeInPerSegment_NextSegmentCanInterruptAgain()
    {
        var result = Run(new BargeInDetector(), 6000, [(1000, 2500), (3000, 4000)]);
        Assert.Equal([1600L, 3600L], result.Select(b => b.AtMs));
    }

    [Theory]
    [InlineData("uh-huh", TranscriptKind.Backchannel)]
    [InlineData("Mm-hmm.", TranscriptKind.Backchannel)]
    [InlineData("Okay, okay. Yeah, right.", TranscriptKind.Backchannel)]
    [InlineData("all right I see", TranscriptKind.Backchannel)]
    [InlineData("No", TranscriptKind.Content)]
    [InlineData("okay but wait", TranscriptKind.Content)]
    [InlineData("yeah Thursday works", TranscriptKind.Content)]
    [InlineData("   ", TranscriptKind.Empty)]
    [InlineData(null, TranscriptKind.Empty)]
    public void Classify_BackchannelWordList(string? text, TranscriptKind expected)
    {
        Assert.Equal(expected, new BargeInDetector().Classify(text));
    }

    [Fact]
    public void CustomBackchannelList_IsUsed()
    {
        var detector = new BargeInDetector(new BargeInOptions { BackchannelPhrases = ["d'accord", "oui"] });
        Assert.Equal(TranscriptKind.Backchannel, detector.Classify("Oui, d'accord."));
        Assert.Equal(TranscriptKind.Content, detector.Classify("okay"));
    }

    [Fact]
    public void EndToEnd_SynthesizedCaller_BackchannelIgnored_InterruptionClearsPlayback()
    {
        // The agent sends four chunks; Twilio echoes one mark per second. The caller says "uh-huh" (400 ms) at 1.5 s
        // and starts a real interruption (1.5 s) at 3 s.
        short[] caller = new Synth(21)
            .Noise(1500, -55).Speech(400, -20, -55).Noise(1100, -55).Speech(1500, -20, -55).Noise(1500, -55).ToArray();
        var playback = new PlaybackTracker();
        string[] chunks = ["Your appointment is on Tuesday.", "At three in the afternoon.", "With Doctor Lee.", "Anything else?"];
        for (int i = 0; i < chunks.Length; i++)
        {
            playback.OnChunkSent($"c{i}", chunks[i]);
        }

        var vad = new VoiceActivityDetector();
        var detector = new BargeInDetector();
        var bargeIns = new List<BargeIn>();
        for (int f = 0; f < caller.Length / 160; f++)
        {
            long t = f * 20L;
            if (t > 0 && t % 1000 == 0)
            {
                playback.OnMarkEchoed($"c{(t / 1000) - 1}");
            }

            VadEvent e = vad.ProcessFrame(caller.AsSpan(f * 160, 160), t);
            if (detector.OnFrame(t, e, playback.IsSpeaking) is { } b)
            {
                bargeIns.Add(b);
                playback.OnClearSent();
            }
        }

        BargeIn only = Assert.Single(bargeIns);
        Assert.InRange(only.SpeechStartMs, 2960, 3060);
        Assert.InRange(only.AtMs, 3560, 3680);
        Assert.False(playback.IsSpeaking);
        Assert.Equal("Your appointment is on Tuesday. At three in the afternoon. With Doctor Lee.", playback.HeardText());
    }

    [Fact]
    public void OnFrame_AllocatesNothing()
    {
        var detector = new BargeInDetector();
        (long, long)[] segments = [(1000, 1400), (2000, 3000)];
        VadEvent[] events = [.. Enumerable.Range(0, 300).Select(f => Timeline.EventAt(f * 20L, segments))];
        detector.OnFrame(0, VadEvent.None, true);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int f = 1; f < events.Length; f++)
        {
            detector.OnFrame(f * 20L, events[f], agentSpeaking: true);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Options_OutOfRange_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BargeInDetector(new BargeInOptions { MinSpeechMs = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BargeInDetector(new BargeInOptions { BackchannelMaxMs = 100 }));
    }
}
