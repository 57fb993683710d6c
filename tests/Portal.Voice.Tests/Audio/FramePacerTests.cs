using Microsoft.Extensions.Time.Testing;
using Portal.Voice.Audio;

namespace Portal.Voice.Tests.Audio;

public sealed class FramePacerTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(8000, 50)]
    public void FrameCount_IsCeilingOf160(int bytes, int frames)
    {
        Assert.Equal(frames, MuLawFrameSplitter.FrameCount(bytes));
    }

    [Fact]
    public void CopyFrame_PadsLastPartialFrameWithSilence()
    {
        byte[] data = Enumerable.Range(0, 400).Select(i => (byte)(i % 200)).ToArray();
        var frame = new byte[160];
        MuLawFrameSplitter.CopyFrame(data, 2, frame);
        Assert.Equal(data[320..], frame[..80]);
        Assert.All(frame[80..], b => Assert.Equal(0xFF, b));
        Assert.Throws<ArgumentOutOfRangeException>(() => MuLawFrameSplitter.CopyFrame(data, 3, frame));
        Assert.Throws<ArgumentException>(() => MuLawFrameSplitter.CopyFrame(data, 0, new byte[159]));
    }

    [Fact]
    public void Splitter_AnyChunking_GivesTheSameFramesAsTheWholeBuffer()
    {
        byte[] data = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
        var splitter = new MuLawFrameSplitter();
        var frames = new List<byte[]>();
        int[] sizes = [1, 13, 0, 159, 160, 161, 7];
        int position = 0, n = 0;
        while (position < data.Length)
        {
            int size = Math.Min(sizes[n++ % sizes.Length], data.Length - position);
            splitter.Append(data.AsSpan(position, size), frames, static (f, list) => list.Add(f.ToArray()));
            position += size;
        }

        Assert.Equal(1000 % 160, splitter.PendingBytes);
        Assert.Equal(1, splitter.Flush(frames, static (f, list) => list.Add(f.ToArray())));
        Assert.Equal(0, splitter.Flush(frames, static (f, list) => list.Add(f.ToArray())));

        Assert.Equal(MuLawFrameSplitter.FrameCount(data.Length), frames.Count);
        for (int i = 0; i < frames.Count; i++)
        {
            var expected = new byte[160];
            MuLawFrameSplitter.CopyFrame(data, i, expected);
            Assert.Equal(expected, frames[i]);
        }
    }

    [Fact]
    public void Splitter_Clear_DropsPendingBytes()
    {
        var splitter = new MuLawFrameSplitter();
        splitter.Append(new byte[100], 0, static (_, _) => { });
        splitter.Clear();
        Assert.Equal(0, splitter.PendingBytes);
        Assert.Equal(0, splitter.Flush(0, static (_, _) => throw new InvalidOperationException()));
    }

    [Fact]
    public async Task Pacer_ReleasesOneFrameEvery20ms()
    {
        var time = new FakeTimeProvider();
        var pacer = new FramePacer(time);
        byte[] data = Enumerable.Repeat((byte)0x11, 400).ToArray();

        await using var frames = pacer.PaceAsync(data).GetAsyncEnumerator();
        Assert.True(await frames.MoveNextAsync()); // frame 0 at t = 0
        Assert.Equal(data[..160], frames.Current);

        ValueTask<bool> second = frames.MoveNextAsync();
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(19));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await second.AsTask().WaitAsync(TimeSpan.FromSeconds(30)));

        ValueTask<bool> third = frames.MoveNextAsync();
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(20));
        Assert.True(await third.AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0x11, frames.Current[79]);
        Assert.Equal(0xFF, frames.Current[80]); // padded

        Assert.False(await frames.MoveNextAsync());
    }

    [Fact]
    public async Task Pacer_AfterAStall_CatchesUpWithoutDrift()
    {
        var time = new FakeTimeProvider();
        var pacer = new FramePacer(time);
        await using var frames = pacer.PaceAsync(new byte[160 * 5]).GetAsyncEnumerator();
        Assert.True(await frames.MoveNextAsync());
        time.Advance(TimeSpan.FromMilliseconds(65)); // consumer stalled: frames 1..3 are overdue
        Assert.True(ReadyNow(frames.MoveNextAsync()));
        Assert.True(ReadyNow(frames.MoveNextAsync()));
        Assert.True(ReadyNow(frames.MoveNextAsync()));
        ValueTask<bool> fifth = frames.MoveNextAsync(); // due at 80 ms
        Assert.False(fifth.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(15));
        Assert.True(await fifth.AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Pacer_LeadFrames_AreReleasedAtOnce()
    {
        var time = new FakeTimeProvider();
        var pacer = new FramePacer(time, leadFrames: 2);
        await using var frames = pacer.PaceAsync(new byte[160 * 4]).GetAsyncEnumerator();
        Assert.True(ReadyNow(frames.MoveNextAsync()));
        Assert.True(ReadyNow(frames.MoveNextAsync()));
        Assert.True(ReadyNow(frames.MoveNextAsync()));
        ValueTask<bool> fourth = frames.MoveNextAsync();
        Assert.False(fourth.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(20));
        Assert.True(await fourth.AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Pacer_Cancelled_Throws()
    {
        var time = new FakeTimeProvider();
        using var cts = new CancellationTokenSource();
        await using var frames = new FramePacer(time).PaceAsync(new byte[480], cts.Token).GetAsyncEnumerator();
        Assert.True(await frames.MoveNextAsync());
        ValueTask<bool> next = frames.MoveNextAsync();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Pacer_ReframesArbitraryChunks()
    {
        var time = new FakeTimeProvider();
        var pacer = new FramePacer(time);
        byte[] data = Enumerable.Range(0, 500).Select(i => (byte)i).ToArray();

        var frames = new List<byte[]>();
        Task consumer = Task.Run(async () =>
        {
            await foreach (byte[] frame in pacer.PaceAsync(Chunks(data, 37)))
            {
                frames.Add(frame);
            }
        });

        for (int i = 0; i < 100 && !consumer.IsCompleted; i++)
        {
            await Task.Delay(5);
            time.Advance(TimeSpan.FromMilliseconds(20));
        }

        await consumer.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(4, frames.Count);
        Assert.All(frames, f => Assert.Equal(160, f.Length));
        Assert.Equal(data, frames.SelectMany(f => f).Take(500).ToArray());
        Assert.All(frames[3][20..], b => Assert.Equal(0xFF, b));
    }

    private static bool ReadyNow(ValueTask<bool> next) => next.IsCompleted && next.GetAwaiter().GetResult();

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Chunks(byte[] data, int size)
    {
        for (int i = 0; i < data.Length; i += size)
        {
            await Task.Yield();
            yield return data.AsMemory(i, Math.Min(size, data.Length - i));
        }
    }
}
