using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Portal.Domain.Instances;

/// <summary>
/// The hosted half of <see cref="CacheInvalidationBus"/>: one dedicated PostgreSQL connection (outside the app's pool)
/// that <c>LISTEN</c>s on <see cref="CacheInvalidationBus.ChannelName"/> and hands every notification to the bus, and a
/// sender that turns published invalidations into <c>pg_notify</c> calls on the app's pool. A lost connection is
/// reopened with a growing delay (1 s to <see cref="MaxReconnectDelay"/>); after every reconnect every cache is dropped,
/// because notifications sent meanwhile are lost (https://www.postgresql.org/docs/current/sql-listen.html).
/// <see cref="IHostedService.StartAsync"/> returns once the instance listens (or the first attempt failed), so an instance
/// that serves requests also hears the others' changes.
/// </summary>
public sealed class CacheInvalidationListener : IHostedService, IAsyncDisposable
{
    /// <summary>Longest wait between two attempts to reopen the listening connection.</summary>
    public static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(30);

    private readonly NpgsqlDataSource _listenSource;
    private readonly NpgsqlDataSource _sendSource;
    private readonly CacheInvalidationBus _bus;
    private readonly ILogger<CacheInvalidationListener> _logger;
    private readonly CancellationTokenSource _stop = new();
    private NpgsqlConnection? _connection;
    private Task _listening = Task.CompletedTask;
    private Task _sending = Task.CompletedTask;
    private int _disposed;

    /// <summary>Creates the listener.</summary>
    /// <param name="connectionString">
    /// The app's connection string; the listening connection is opened from it unpooled, with a 10 s keepalive, named
    /// <c>portal-cache-</c> and the bus's instance id (<c>application_name</c> in <c>pg_stat_activity</c>).
    /// </param>
    /// <param name="sendSource">The app's data source, for the short <c>pg_notify</c> statements.</param>
    /// <param name="bus">The process's bus.</param>
    /// <param name="logger">Logs lost connections and failed sends.</param>
    public CacheInvalidationListener(string connectionString, NpgsqlDataSource sendSource, CacheInvalidationBus bus, ILogger<CacheInvalidationListener> logger)
    {
        ArgumentNullException.ThrowIfNull(bus);
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 10, ApplicationName = ApplicationNameOf(bus) };
        _listenSource = NpgsqlDataSource.Create(builder.ConnectionString);
        _sendSource = sendSource;
        _bus = bus;
        _logger = logger;
    }

    /// <summary>The <c>application_name</c> of an instance's listening connection.</summary>
    /// <param name="bus">The instance's bus.</param>
    public static string ApplicationNameOf(CacheInvalidationBus bus) => $"portal-cache-{bus.InstanceId:N}";

    /// <summary>True while the listening connection is open.</summary>
    public bool IsListening => _connection is { State: System.Data.ConnectionState.Open };

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ConnectAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            _logger.LogWarning(ex, "Cache invalidation: could not listen yet; retrying in the background");
        }

        _listening = Task.Run(() => ListenLoopAsync(_stop.Token), CancellationToken.None);
        _sending = Task.Run(() => SendLoopAsync(_stop.Token), CancellationToken.None);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await CancelLoopsAsync();
        await Task.WhenAll(_listening, _sending).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await CancelLoopsAsync();
        await Task.WhenAll(_listening, _sending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        await _listenSource.DisposeAsync();
        _stop.Dispose();
    }

    /// <summary>
    /// Cancels both loops. The token is cancelled even when one of its callbacks throws (Npgsql's cancellation of a wait on a
    /// connection that is closing can throw <see cref="ObjectDisposedException"/>); such a failure is logged, not thrown,
    /// so the host's shutdown does not fail on it.
    /// </summary>
    private async Task CancelLoopsAsync()
    {
        try
        {
            await _stop.CancelAsync();
        }
        catch (AggregateException ex)
        {
            _logger.LogWarning(ex, "Cache invalidation: a cancellation callback failed while stopping");
        }
        catch (ObjectDisposedException) when (Volatile.Read(ref _disposed) != 0)
        {
            // Already disposed: DisposeAsync cancelled the loops before disposing the source (a host whose StopAsync runs
            // after its service provider was disposed, as when two hosts of one process stop in turn).
        }
    }

    private async Task ConnectAsync(CancellationToken ct)
    {
        var connection = await _listenSource.OpenConnectionAsync(ct);
        try
        {
            connection.Notification += (_, e) => _bus.Deliver(e.Payload);
            await using var listen = new NpgsqlCommand($"LISTEN {CacheInvalidationBus.ChannelName}", connection);
            await listen.ExecuteNonQueryAsync(ct);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        _connection = connection;
    }

    private async Task ListenLoopAsync(CancellationToken ct)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (_connection is null)
                {
                    await ConnectAsync(ct);
                    // Changes made while no connection listened were not heard: drop every cache once.
                    _bus.DeliverAll();
                    _logger.LogInformation("Cache invalidation: listening again; every cache dropped");
                    delay = TimeSpan.FromSeconds(1);
                }

                await _connection!.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Cache invalidation: listening connection lost; reconnecting in {Delay}", delay);
                if (_connection is not null)
                {
                    await _connection.DisposeAsync();
                    _connection = null;
                }

                try
                {
                    await Task.Delay(delay, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxReconnectDelay.Ticks));
            }
        }
    }

    private async Task SendLoopAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var payload in _bus.Outbox.ReadAllAsync(ct))
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await using var command = _sendSource.CreateCommand("SELECT pg_notify($1, $2)");
                        command.Parameters.Add(new NpgsqlParameter { Value = CacheInvalidationBus.ChannelName });
                        command.Parameters.Add(new NpgsqlParameter { Value = payload });
                        await command.ExecuteNonQueryAsync(ct);
                        break;
                    }
                    catch (Exception ex) when (ex is NpgsqlException or TimeoutException && attempt < 5)
                    {
                        _logger.LogWarning(ex, "Cache invalidation: sending {Payload} failed (attempt {Attempt})", payload, attempt);
                        await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), ct);
                    }
                    catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
                    {
                        // The other instances' entries still expire on their own time to live.
                        _logger.LogError(ex, "Cache invalidation: {Payload} not sent", payload);
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
