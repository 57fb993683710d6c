using Portal.Voice.Pipeline;

namespace Portal.Voice.Tests.Pipeline;

public sealed class EndpointerTests
{
    [Fact]
    public void OneUtterance_EndsAfter500msOfSilence()
    {
        var ends = Timeline.Run(new Endpointer(), 4000, [(1000, 2000)]);
        Assert.Equal([(2500L, new EndOfUtterance(1000, 2000, EndOfUtteranceReason.Silence))], ends);
        Assert.Equal(1000, ends[0].End.DurationMs);
    }

    [Fact]
    public void PauseShorterThanThreshold_KeepsOneUtterance()
    {
        var ends = Timeline.Run(new Endpointer(), 5000, [(1000, 1800), (2200, 3000)]);
        Assert.Equal([(3500L, new EndOfUtterance(1000, 3000, EndOfUtteranceReason.Silence))], ends);
    }

    [Fact]
    public void CustomSilenceThreshold_IsHonoured()
    {
        var ends = Timeline.Run(new Endpointer(new EndpointerOptions { SilenceMs = 300 }), 5000, [(1000, 1800), (2200, 3000)]);
        Assert.Equal(2, ends.Count);
        Assert.Equal((2100L, new EndOfUtterance(1000, 1800, EndOfUtteranceReason.Silence)), ends[0]);
    }

    [Fact]
    public void BlipShorterThanMinimumSpeech_IsIgnored()
    {
        var ends = Timeline.Run(new Endpointer(), 5000, [(1000, 1100), (2000, 2600)]);
        Assert.Equal([(3100L, new EndOfUtterance(2000, 2600, EndOfUtteranceReason.Silence))], ends);
    }

    [Fact]
    public void BlipsCloseTogether_CountTheirTotalSpeech()
    {
        // 3 × 100 ms with 200 ms gaps: one 300 ms-of-speech utterance, long enough.
        var ends = Timeline.Run(new Endpointer(), 3000, [(1000, 1100), (1300, 1400), (1600, 1700)]);
        Assert.Equal([(2200L, new EndOfUtterance(1000, 1700, EndOfUtteranceReason.Silence))], ends);
    }

    // "five five five … one two three … four five six seven" with 800 ms pauses between digit groups.
    private static readonly (long, long)[] PhoneNumber = [(1000, 2200), (3000, 4200), (5000, 6600)];

    [Fact]
    public void Dictation_PausesBetweenDigitGroups_DoNotCutThePhoneNumber()
    {
        var endpointer = new Endpointer { DictationActive = true };
        Assert.Equal(1200, endpointer.CurrentSilenceMs);
        var ends = Timeline.Run(endpointer, 10_000, PhoneNumber);
        Assert.Equal([(7800L, new EndOfUtterance(1000, 6600, EndOfUtteranceReason.Silence))], ends);
    }

    [Fact]
    public void WithoutDictation_ThePhoneNumberWouldBeCutIntoThree()
    {
        var ends = Timeline.Run(new Endpointer(), 10_000, PhoneNumber);
        Assert.Equal(3, ends.Count);
        Assert.All(ends, e => Assert.Equal(EndOfUtteranceReason.Silence, e.End.Reason));
    }

    [Fact]
    public void Dictation_SpeechFinalHintsAreIgnored_SilenceStillEnds()
    {
        var endpointer = new Endpointer { DictationActive = true };
        var ends = Timeline.Run(endpointer, 10_000, PhoneNumber, t => t is 2300 or 4300 or 6700
            ? endpointer.OnInterimTranscript("five five five", isFinal: true, speechFinal: true)
            : null);
        Assert.Equal([(7800L, new EndOfUtterance(1000, 6600, EndOfUtteranceReason.Silence))], ends);
    }

    [Fact]
    public void Dictation_EndToEndThroughVad_OnSynthesizedDigitGroups()
    {
        short[] pcm = new Synth(11)
            .Noise(1000, -55).Speech(1200, -20, -55).Noise(800, -55).Speech(1200, -20, -55)
            .Noise(800, -55).Speech(1600, -20, -55).Noise(3000, -55).ToArray();
        var vad = new VoiceActivityDetector();
        var dictating = new Endpointer { DictationActive = true };
        var normal = new Endpointer();
        var dictatedEnds = new List<EndOfUtterance>();
        var normalEnds = new List<EndOfUtterance>();
        for (int f = 0; f < pcm.Length / 160; f++)
        {
            VadEvent e = vad.ProcessFrame(pcm.AsSpan(f * 160, 160), f * 20);
            if (dictating.OnFrame(f * 20, e) is { } d)
            {
                dictatedEnds.Add(d);
            }

            if (normal.OnFrame(f * 20, e) is { } n)
            {
                normalEnds.Add(n);
            }
        }

        EndOfUtterance whole = Assert.Single(dictatedEnds);
        Assert.InRange(whole.StartMs, 960, 1060);
        Assert.InRange(whole.EndMs, 6560, 6700);
        Assert.Equal(3, normalEnds.Count);
    }

    [Fact]
    public void SpeechFinal_AfterSpeech_EndsTheTurnEarly()
    {
        var endpointer = new Endpointer();
        var ends = Timeline.Run(endpointer, 4000, [(1000, 2000)], t => t == 2100
            ? endpointer.OnInterimTranscript("I'd like a cleaning", isFinal: true, speechFinal: true)
            : null);
        Assert.Equal([(2100L, new EndOfUtterance(1000, 2000, EndOfUtteranceReason.SpeechFinal))], ends);
    }

    [Fact]
    public void SpeechFinal_WhileVadStillInHangover_EndsNow_AndTheSegmentTailIsIgnored()
    {
        var endpointer = new Endpointer();
        var ends = Timeline.Run(endpointer, 4000, [(1000, 2000), (2600, 3000)], t => t == 1900
            ? endpointer.OnInterimTranscript("yes please", isFinal: true, speechFinal: true)
            : null);
        Assert.Equal(2, ends.Count);
        Assert.Equal((1900L, new EndOfUtterance(1000, 1900, EndOfUtteranceReason.SpeechFinal)), ends[0]);
        Assert.Equal((3500L, new EndOfUtterance(2600, 3000, EndOfUtteranceReason.Silence)), ends[1]);
    }

    [Fact]
    public void SpeechFinal_IgnoredWhenNotFinalBlankTooShortOrIdle()
    {
        var endpointer = new Endpointer();
        Assert.Null(endpointer.OnInterimTranscript("hello", isFinal: true, speechFinal: true)); // idle
        endpointer.OnFrame(1000, new VadEvent(VadEventKind.SpeechStarted, 1000));
        endpointer.OnFrame(1100, VadEvent.None);
        Assert.Null(endpointer.OnInterimTranscript("hel", isFinal: false, speechFinal: true)); // 100 ms < 200 ms
        endpointer.OnFrame(1400, VadEvent.None);
        Assert.Null(endpointer.OnInterimTranscript("hello", isFinal: true, speechFinal: false));
        Assert.Null(endpointer.OnInterimTranscript("  ", isFinal: true, speechFinal: true));
        Assert.True(endpointer.InUtterance);
        Assert.NotNull(endpointer.OnInterimTranscript("hello", isFinal: true, speechFinal: true));
        Assert.False(endpointer.InUtterance);
    }

    [Fact]
    public void MaxLength_CutsAMonologue_AndTheRestIsANewUtterance()
    {
        var ends = Timeline.Run(new Endpointer(), 42_000, [(1000, 40_000)]);
        Assert.Equal(2, ends.Count);
        Assert.Equal((31_000L, new EndOfUtterance(1000, 31_000, EndOfUtteranceReason.MaxLength)), ends[0]);
        Assert.Equal((40_500L, new EndOfUtterance(31_000, 40_000, EndOfUtteranceReason.Silence)), ends[1]);
    }

    [Fact]
    public void Reset_DropsTheUtteranceInProgress()
    {
        var endpointer = new Endpointer();
        endpointer.OnFrame(1000, new VadEvent(VadEventKind.SpeechStarted, 1000));
        endpointer.OnFrame(1600, new VadEvent(VadEventKind.SpeechEnded, 1600));
        endpointer.Reset();
        for (long t = 1620; t < 4000; t += 20)
        {
            Assert.Null(endpointer.OnFrame(t, VadEvent.None));
        }
    }

    [Fact]
    public void OnFrame_AllocatesNothing()
    {
        var endpointer = new Endpointer();
        (long, long)[] segments = [(1000, 2000), (3000, 3100), (4000, 5000)];
        VadEvent[] events = [.. Enumerable.Range(0, 400).Select(f => Timeline.EventAt(f * 20L, segments))];
        endpointer.OnFrame(0, VadEvent.None);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int f = 1; f < events.Length; f++)
        {
            endpointer.OnFrame(f * 20L, events[f]);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Options_OutOfRange_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Endpointer(new EndpointerOptions { SilenceMs = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Endpointer(new EndpointerOptions { MinSpeechMs = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Endpointer(new EndpointerOptions { MaxUtteranceMs = 100 }));
    }
}
