using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Portal.Domain.Calls;

namespace Portal.Voice.Calls;

/// <summary>
/// Proves, in the database, that this instance still serves its calls: every <see cref="Interval"/> one statement touches
/// the <c>updated_at</c> of every call whose media stream is open here. With several instances over one database, a call's
/// socket lives on one of them; the orphaned-calls job then tells a live call (touched within <see cref="StaleAfter"/>, on
/// any instance) from one whose instance died (not touched since), without knowing which instance served it.
/// </summary>
public sealed class LiveCallHeartbeat(NpgsqlDataSource dataSource, TimeProvider timeProvider, ILogger<LiveCallHeartbeat> logger) : BackgroundService
{
    /// <summary>How often the open calls are touched (<see cref="CallLiveness.HeartbeatInterval"/>).</summary>
    public static TimeSpan Interval => CallLiveness.HeartbeatInterval;

    /// <summary>A call not touched for this long has no live stream on any instance (<see cref="CallLiveness.StaleAfter"/>).</summary>
    public static TimeSpan StaleAfter => CallLiveness.StaleAfter;

    private readonly Dictionary<Guid, int> _live = [];
    private readonly Lock _gate = new();

    /// <summary>Calls this instance serves now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _live.Count;
            }
        }
    }

    /// <summary>Marks the call's conversation live on this instance until the result is disposed.</summary>
    /// <param name="conversationId">The call's conversation.</param>
    /// <returns>The registration; dispose it when the stream ends.</returns>
    public IDisposable Track(Guid conversationId)
    {
        lock (_gate)
        {
            _live[conversationId] = _live.GetValueOrDefault(conversationId) + 1;
        }

        return new Registration(this, conversationId);
    }

    /// <summary>Touches every call open here now; returns how many rows were touched.</summary>
    /// <param name="cancellationToken">Cancels the statement.</param>
    public async Task<int> BeatAsync(CancellationToken cancellationToken)
    {
        Guid[] ids;
        lock (_gate)
        {
            ids = [.. _live.Keys];
        }

        if (ids.Length == 0)
        {
            return 0;
        }

        // The same clock as every other write of updated_at (and as the orphaned-calls job's cutoff).
        await using var command = dataSource.CreateCommand("UPDATE conversations SET updated_at = $2 WHERE id = ANY($1) AND ended_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter { Value = ids });
        command.Parameters.Add(new NpgsqlParameter { Value = timeProvider.GetUtcNow() });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await BeatAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
                {
                    logger.LogWarning(ex, "Live-call heartbeat failed for {Count} calls; retrying in {Interval}", Count, Interval);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// The stopping token is cancelled even when one of its callbacks throws (Npgsql's cancellation of a statement on a
    /// connection that is closing); that failure is logged instead of failing the host's shutdown.
    /// </remarks>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await base.StopAsync(cancellationToken);
        }
        catch (AggregateException ex)
        {
            logger.LogWarning(ex, "Live-call heartbeat: a cancellation callback failed while stopping");
        }
    }

    private void Release(Guid conversationId)
    {
        lock (_gate)
        {
            if (_live.TryGetValue(conversationId, out var count) && --count > 0)
            {
                _live[conversationId] = count;
            }
            else
            {
                _live.Remove(conversationId);
            }
        }
    }

    private sealed class Registration(LiveCallHeartbeat owner, Guid conversationId) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Release(conversationId);
            }
        }
    }
}
