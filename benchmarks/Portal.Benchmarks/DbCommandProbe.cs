using System.Diagnostics;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Portal.Benchmarks;

/// <summary>Per-turn counters of EF Core database commands, filled by <see cref="DbCommandProbe"/>.</summary>
public sealed class CommandCounter
{
    /// <summary>Commands executed (queries and SaveChanges batches).</summary>
    internal int Commands;

    /// <summary>Time inside those commands as EF Core measured it, in ms (includes the network round-trip).</summary>
    internal double CommandMs;

    /// <summary>Connections opened (from the Npgsql pool).</summary>
    internal int Opens;
}

/// <summary>
/// Counts EF Core commands per turn through EF Core's <see cref="DiagnosticListener"/> (no change
/// to the product's DI): the current turn's counter flows with the async context. Opt-in
/// (<c>--db-stats</c>) because subscribing makes EF Core allocate event payloads.
/// </summary>
public sealed class DbCommandProbe : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private static readonly AsyncLocal<CommandCounter?> CurrentCounter = new();
    private readonly List<IDisposable> _subscriptions = [];

    private DbCommandProbe() => _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));

    /// <summary>Starts listening.</summary>
    public static DbCommandProbe Start() => new();

    /// <summary>The counter the current async flow reports to (set at the start of each turn).</summary>
    public static CommandCounter? Current
    {
        get => CurrentCounter.Value;
        set => CurrentCounter.Value = value;
    }

    /// <inheritdoc />
    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == Microsoft.EntityFrameworkCore.DbLoggerCategory.Name)
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(value.Subscribe(this));
            }
        }
    }

    /// <inheritdoc />
    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (CurrentCounter.Value is not { } counter)
        {
            return;
        }

        if (value.Key == RelationalEventId.CommandExecuted.Name && value.Value is CommandExecutedEventData executed)
        {
            counter.Commands++;
            counter.CommandMs += executed.Duration.TotalMilliseconds;
        }
        else if (value.Key == RelationalEventId.ConnectionOpened.Name)
        {
            counter.Opens++;
        }
    }

    /// <inheritdoc />
    public void OnCompleted()
    {
    }

    /// <inheritdoc />
    public void OnError(Exception error)
    {
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_subscriptions)
        {
            foreach (var s in _subscriptions)
            {
                s.Dispose();
            }

            _subscriptions.Clear();
        }
    }
}
