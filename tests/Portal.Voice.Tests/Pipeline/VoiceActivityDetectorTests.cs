using Portal.Voice.Audio;
using Portal.Voice.Pipeline;

namespace Portal.Voice.Tests.Pipeline;

public sealed class VoiceActivityDetectorTests
{
    private static void AssertNear(long expected, long actual, long tolerance) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected}±{tolerance} ms, got {actual} ms");

    [Fact]
    public void EnergyDbfs_FullScaleSineIsMinus3_SilenceIsFloor()
    {
        short[] sine = new Synth().Sine(20, 1000, -3.0103).ToArray();
        double sum = sine.Sum(s => (double)s * s);
        Assert.Equal(-3.01, VoiceActivityDetector.EnergyDbfs(sum, sine.Length), 1);
        Assert.Equal(VoiceActivityDetector.SilenceDbfs, VoiceActivityDetector.EnergyDbfs(0, 160));
        Assert.Equal(VoiceActivityDetector.SilenceDbfs, VoiceActivityDetector.EnergyDbfs(5, 0));
    }

    [Fact]
    public void DigitalSilenceAndQuietLineNoise_NoSpeech()
    {
        short[] pcm = new Synth().Silence(2000).Noise(3000, -70).Silence(1000).ToArray();
        var vad = new VoiceActivityDetector();
        Assert.Empty(Synth.Run(vad, pcm));
        Assert.False(vad.IsSpeech);
    }

    [Fact]
    public void SpeechBurst_OverQuietBackground_StartsAndEndsAtBurstEdges()
    {
        short[] pcm = new Synth().Noise(1000, -60).Speech(1500, -20, -60).Noise(1000, -60).ToArray();
        List<VadEvent> events = Synth.Run(new VoiceActivityDetector(), pcm);

        Assert.Equal(2, events.Count);
        Assert.Equal(VadEventKind.SpeechStarted, events[0].Kind);
        AssertNear(1000, events[0].TimestampMs, 40);
        Assert.Equal(VadEventKind.SpeechEnded, events[1].Kind);
        AssertNear(2500, events[1].TimestampMs, 60);
    }

    [Fact]
    public void SteadyFanNoise_FromCallStart_IsNotSpeech_ButSpeechOverItIs()
    {
        var fanOnly = new VoiceActivityDetector();
        Assert.Empty(Synth.Run(fanOnly, new Synth(7).Fan(15_000, -32).ToArray()));

        short[] fan = new Synth(8).Fan(8000, -32).ToArray();
        short[] speech = new Synth(9).Silence(4000).Speech(1200, -12).Silence(2800).ToArray();
        short[] mixed = new Synth().Mix(fan).Mix(speech).ToArray();
        List<VadEvent> events = Synth.Run(new VoiceActivityDetector(), mixed);

        Assert.Equal([VadEventKind.SpeechStarted, VadEventKind.SpeechEnded], events.Select(e => e.Kind));
        AssertNear(4000, events[0].TimestampMs, 60);
        AssertNear(5200, events[1].TimestampMs, 100);
    }

    [Fact]
    public void FanSwitchedOnMidCall_IsReleasedWithinAboutASecond()
    {
        short[] background = new Synth(12).Noise(20_000, -60).ToArray();
        short[] fan = new Synth(13).Silence(5000).Fan(15_000, -32).ToArray();
        var vad = new VoiceActivityDetector();
        List<VadEvent> events = Synth.Run(vad, new Synth().Mix(background).Mix(fan).ToArray());

        // One false segment at the switch-on, ended once the energy has been steady for 1 s (+ 200 ms hangover).
        Assert.Equal([VadEventKind.SpeechStarted, VadEventKind.SpeechEnded], events.Select(e => e.Kind));
        AssertNear(5000, events[0].TimestampMs, 40);
        Assert.InRange(events[1].TimestampMs, 5000, 6100);
        Assert.InRange(vad.NoiseFloorDbfs, -36, -31);

        // Without the release the slow rise alone holds the false speech for many seconds.
        List<VadEvent> slow = Synth.Run(
            new VoiceActivityDetector(new VoiceActivityDetectorOptions { StationaryRangeDb = 0 }),
            new Synth().Mix(background).Mix(fan).ToArray());
        Assert.True(slow.Count < 2 || slow[1].TimestampMs > 12_000);
    }

    [Fact]
    public void LongContinuousSpeech_IsNotReleasedAsSteadyNoise()
    {
        short[] pcm = new Synth(14).Noise(1000, -60).Speech(8000, -20, -60).Noise(1000, -60).ToArray();
        List<VadEvent> events = Synth.Run(new VoiceActivityDetector(), pcm);
        Assert.Equal([VadEventKind.SpeechStarted, VadEventKind.SpeechEnded], events.Select(e => e.Kind));
        AssertNear(9000, events[1].TimestampMs, 100);
    }

    [Fact]
    public void RisingBackgroundNoise_FloorFollowsIt_AndSpeechIsStillDetected()
    {
        // Background ramps −65 → −35 dBFS over 20 s (1.5 dB/s, a lorry approaching / a room filling up);
        // an 800 ms speech burst at −12 dBFS every 4 s from t = 2 s.
        const int total = 20_000;
        short[] background = new Synth(3).Noise(total, -65, -35).ToArray();
        var speech = new Synth(4);
        int[] burstStarts = [2000, 6000, 10_000, 14_000, 18_000];
        int t = 0;
        foreach (int start in burstStarts)
        {
            speech.Silence(start - t).Speech(800, -12);
            t = start + 800;
        }

        speech.Silence(total - t);
        var vad = new VoiceActivityDetector();
        List<VadEvent> events = Synth.Run(vad, new Synth().Mix(background).Mix(speech.ToArray()).ToArray());

        Assert.Equal(burstStarts.Length * 2, events.Count);
        for (int i = 0; i < burstStarts.Length; i++)
        {
            Assert.Equal(VadEventKind.SpeechStarted, events[2 * i].Kind);
            AssertNear(burstStarts[i], events[2 * i].TimestampMs, 60);
            Assert.Equal(VadEventKind.SpeechEnded, events[(2 * i) + 1].Kind);
            AssertNear(burstStarts[i] + 800, events[(2 * i) + 1].TimestampMs, 100);
        }

        // The floor followed the background up (within a few dB of −35 dBFS).
        Assert.InRange(vad.NoiseFloorDbfs, -40, -33);
    }

    [Fact]
    public void NoiseFloor_FallsFastWhenBackgroundDrops()
    {
        var vad = new VoiceActivityDetector();
        Synth.Run(vad, new Synth(5).Noise(3000, -30).ToArray());
        Assert.InRange(vad.NoiseFloorDbfs, -33, -29);

        // Background drops 30 dB: the floor follows within 10 frames (200 ms).
        short[] quiet = new Synth(6).Noise(200, -60).ToArray();
        for (int f = 0; f < 10; f++)
        {
            vad.ProcessFrame(quiet.AsSpan(f * 160, 160), 3000 + (f * 20));
        }

        Assert.InRange(vad.NoiseFloorDbfs, -63, -58);
    }

    [Fact]
    public void ShortClick_ShorterThanOnset_IsIgnored()
    {
        short[] pcm = new Synth().Noise(1000, -60).Sine(40, 1000, -10).Noise(1000, -60).ToArray();
        Assert.Empty(Synth.Run(new VoiceActivityDetector(), pcm));
    }

    [Fact]
    public void Hysteresis_ShortPauseBridged_LongPauseSplits()
    {
        short[] bridged = new Synth().Noise(1000, -60).Speech(600, -20, -60).Noise(100, -60).Speech(600, -20, -60).Noise(1000, -60).ToArray();
        Assert.Equal(2, Synth.Run(new VoiceActivityDetector(), bridged).Count);

        short[] split = new Synth().Noise(1000, -60).Speech(600, -20, -60).Noise(400, -60).Speech(600, -20, -60).Noise(1000, -60).ToArray();
        List<VadEvent> events = Synth.Run(new VoiceActivityDetector(), split);
        Assert.Equal(
            [VadEventKind.SpeechStarted, VadEventKind.SpeechEnded, VadEventKind.SpeechStarted, VadEventKind.SpeechEnded],
            events.Select(e => e.Kind));
        AssertNear(1600, events[1].TimestampMs, 60);
        AssertNear(2000, events[2].TimestampMs, 60);
    }

    [Fact]
    public void ZeroCrossingCheck_RejectsHissBurst_KeepsVoicedBurst()
    {
        short[] hiss = new Synth().Noise(1000, -60).Noise(800, -15).Noise(1000, -60).ToArray();
        short[] voiced = new Synth().Noise(1000, -60).Speech(800, -15, -60).Noise(1000, -60).ToArray();
        var options = new VoiceActivityDetectorOptions { MaxZeroCrossingRate = 0.35 };

        Assert.Equal(2, Synth.Run(new VoiceActivityDetector(), hiss).Count); // energy alone says speech
        Assert.Empty(Synth.Run(new VoiceActivityDetector(options), hiss));
        Assert.Equal(2, Synth.Run(new VoiceActivityDetector(options), voiced).Count);
    }

    [Fact]
    public void MuLawFrames_GiveTheSameDecisionsAsPcm()
    {
        short[] pcm = new Synth().Noise(1000, -55).Speech(1000, -18, -55).Noise(1000, -55).ToArray();
        var ulaw = new byte[pcm.Length];
        MuLaw.Encode(pcm, ulaw);
        var decoded = new short[pcm.Length];
        MuLaw.Decode(ulaw, decoded);

        List<VadEvent> fromPcm = Synth.Run(new VoiceActivityDetector(), decoded);
        var vad = new VoiceActivityDetector();
        var fromUlaw = new List<VadEvent>();
        for (int f = 0; f < ulaw.Length / 160; f++)
        {
            VadEvent e = vad.ProcessMuLawFrame(ulaw.AsSpan(f * 160, 160), f * 20);
            if (e.Kind != VadEventKind.None)
            {
                fromUlaw.Add(e);
            }
        }

        Assert.Equal(2, fromPcm.Count);
        Assert.Equal(fromPcm, fromUlaw);
    }

    [Fact]
    public void ProcessFrame_AllocatesNothing()
    {
        short[] pcm = new Synth().Noise(500, -60).Speech(1000, -20, -60).Noise(500, -60).ToArray();
        var ulaw = new byte[pcm.Length];
        MuLaw.Encode(pcm, ulaw);
        var vad = new VoiceActivityDetector(new VoiceActivityDetectorOptions { MaxZeroCrossingRate = 0.4 });
        vad.ProcessFrame(pcm.AsSpan(0, 160), 0); // warm up JIT

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int f = 1; f < pcm.Length / 160; f++)
        {
            vad.ProcessFrame(pcm.AsSpan(f * 160, 160), f * 20);
            vad.ProcessMuLawFrame(ulaw.AsSpan(f * 160, 160), f * 20);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Reset_ForgetsFloorAndSpeech()
    {
        var vad = new VoiceActivityDetector();
        Synth.Run(vad, new Synth().Noise(500, -60).Speech(500, -20, -60).ToArray());
        Assert.True(vad.IsSpeech);
        vad.Reset();
        Assert.False(vad.IsSpeech);
        Assert.Equal(VoiceActivityDetector.SilenceDbfs, vad.NoiseFloorDbfs);
    }

    [Fact]
    public void Options_OutOfRange_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VoiceActivityDetector(new VoiceActivityDetectorOptions { OnsetDb = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VoiceActivityDetector(new VoiceActivityDetectorOptions { OffsetDb = 20 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VoiceActivityDetector(new VoiceActivityDetectorOptions { HangoverFrames = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VoiceActivityDetector(new VoiceActivityDetectorOptions { NoiseFloorFallFraction = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VoiceActivityDetector(new VoiceActivityDetectorOptions { MaxZeroCrossingRate = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VoiceActivityDetector(new VoiceActivityDetectorOptions { StationaryFrames = 0 }));
    }
}
