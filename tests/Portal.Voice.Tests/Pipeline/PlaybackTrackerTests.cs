using Portal.Voice.Pipeline;

namespace Portal.Voice.Tests.Pipeline;

public sealed class PlaybackTrackerTests
{
    private static PlaybackTracker SendReply()
    {
        var tracker = new PlaybackTracker();
        tracker.OnChunkSent("m1", "Sure, I can help with that.");
        tracker.OnChunkSent("m2", "We have an opening on Tuesday at 3 pm.");
        tracker.OnChunkSent("m3", "Or Wednesday at 10 am.");
        tracker.OnChunkSent("m4", "Which would you prefer?");
        return tracker;
    }

    [Fact]
    public void AllMarksEchoed_WholeReplyHeard_ThenNotSpeaking()
    {
        PlaybackTracker tracker = SendReply();
        Assert.True(tracker.IsSpeaking);
        foreach (string mark in new[] { "m1", "m2", "m3" })
        {
            Assert.True(tracker.OnMarkEchoed(mark));
            Assert.True(tracker.IsSpeaking);
        }

        Assert.True(tracker.OnMarkEchoed("m4"));
        Assert.False(tracker.IsSpeaking);
        Assert.Equal(
            "Sure, I can help with that. We have an opening on Tuesday at 3 pm. Or Wednesday at 10 am. Which would you prefer?",
            tracker.HeardText());
    }

    [Fact]
    public void PartiallyEchoedThenClear_HeardTextIsExactlyTheEchoedChunks()
    {
        PlaybackTracker tracker = SendReply();
        tracker.OnMarkEchoed("m1");
        tracker.OnMarkEchoed("m2");
        tracker.OnClearSent();

        Assert.False(tracker.IsSpeaking);
        Assert.Equal("Sure, I can help with that. We have an opening on Tuesday at 3 pm.", tracker.HeardText());
        Assert.Equal(
            [ChunkPlayback.Heard, ChunkPlayback.Heard, ChunkPlayback.NotHeard, ChunkPlayback.NotHeard],
            Enumerable.Range(0, tracker.ChunkCount).Select(tracker.StateOf));
    }

    [Fact]
    public void MarksEchoedAfterClear_AreIgnored()
    {
        PlaybackTracker tracker = SendReply();
        tracker.OnMarkEchoed("m1");
        tracker.OnClearSent();

        // Twilio returns the marks of the audio it discarded: they must not count as heard.
        Assert.False(tracker.OnMarkEchoed("m2"));
        Assert.False(tracker.OnMarkEchoed("m3"));
        Assert.False(tracker.IsSpeaking);
        Assert.Equal("Sure, I can help with that.", tracker.HeardText());
    }

    [Fact]
    public void UnknownOrRepeatedMarks_AreIgnored()
    {
        PlaybackTracker tracker = SendReply();
        Assert.False(tracker.OnMarkEchoed("nope"));
        Assert.False(tracker.OnMarkEchoed(null));
        Assert.True(tracker.OnMarkEchoed("m1"));
        Assert.False(tracker.OnMarkEchoed("m1"));
        Assert.True(tracker.IsSpeaking);
        Assert.Equal("Sure, I can help with that.", tracker.HeardText());
    }

    [Fact]
    public void LaterMarkEchoed_CountsEarlierChunksAsHeard()
    {
        PlaybackTracker tracker = SendReply();
        tracker.OnMarkEchoed("m3");
        Assert.Equal(
            [ChunkPlayback.Heard, ChunkPlayback.Heard, ChunkPlayback.Heard, ChunkPlayback.Pending],
            Enumerable.Range(0, tracker.ChunkCount).Select(tracker.StateOf));
        Assert.True(tracker.IsSpeaking);
    }

    [Fact]
    public void Stop_ClearsSpeaking_NothingPendingCountsAsHeard()
    {
        PlaybackTracker tracker = SendReply();
        tracker.OnMarkEchoed("m1");
        tracker.OnStop();
        Assert.False(tracker.IsSpeaking);
        Assert.Equal("Sure, I can help with that.", tracker.HeardText());
    }

    [Fact]
    public void Reset_StartsAFreshTurn()
    {
        PlaybackTracker tracker = SendReply();
        tracker.Reset();
        Assert.False(tracker.IsSpeaking);
        Assert.Equal(0, tracker.ChunkCount);
        Assert.Equal(string.Empty, tracker.HeardText());
        Assert.False(tracker.OnMarkEchoed("m1"));
    }

    [Fact]
    public void ChunksSentAfterAClear_StartSpeakingAgain_AndMayReuseMarkNames()
    {
        PlaybackTracker tracker = SendReply();
        tracker.OnClearSent();
        tracker.OnChunkSent("m1", "Sorry, go ahead.");
        Assert.True(tracker.IsSpeaking);
        Assert.True(tracker.OnMarkEchoed("m1"));
        Assert.False(tracker.IsSpeaking);
        Assert.Equal("Sorry, go ahead.", tracker.HeardText());
    }

    [Fact]
    public void ClearWithNothingPending_IsHarmless_AndBlankChunksAreSkipped()
    {
        var tracker = new PlaybackTracker();
        tracker.OnClearSent();
        Assert.False(tracker.IsSpeaking);
        tracker.OnChunkSent("a", "  Hello.  ");
        tracker.OnChunkSent("b", " ");
        tracker.OnChunkSent("c", "Bye.");
        tracker.OnMarkEchoed("c");
        Assert.Equal("Hello. Bye.", tracker.HeardText());
    }

    [Fact]
    public void DuplicatePendingOrBlankMark_Throws()
    {
        var tracker = new PlaybackTracker();
        tracker.OnChunkSent("m1", "a");
        Assert.Throws<ArgumentException>(() => tracker.OnChunkSent("m1", "b"));
        Assert.Throws<ArgumentException>(() => tracker.OnChunkSent(" ", "b"));
    }
}
