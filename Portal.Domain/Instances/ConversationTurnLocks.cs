using System.Data;
using Npgsql;

namespace Portal.Domain.Instances;

/// <summary>
/// Serializes the turns of one conversation across every Portal instance over one database. A turn first takes the
/// conversation's gate in this process (so one instance never queues more than one connection per conversation), then a
/// PostgreSQL transaction-level advisory lock keyed by the conversation id, <c>pg_advisory_xact_lock(bigint)</c>
/// (https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADVISORY-LOCKS), held on its own connection
/// until the turn is disposed; the commit releases it, and so does the server if the instance dies mid-turn.
/// </summary>
/// <remarks>
/// Lock connections come from the app's pool (its connection budget is unchanged), but at most
/// <see cref="MaxHolders"/> turns hold one at a time, so the rest of the pool always serves the turns' own statements
/// and a burst of turns can never take every connection and wait on itself. The key is the conversation id folded to
/// 64 bits; two conversations sharing a key only wait for each other, never corrupt each other.
/// </remarks>
public sealed class ConversationTurnLocks : IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly Dictionary<Guid, Gate> _gates = [];
    private readonly Lock _gatesLock = new();
    private readonly SemaphoreSlim _holders;

    /// <summary>Creates the locks over the app's data source.</summary>
    /// <param name="dataSource">The app's pool.</param>
    /// <param name="maxHolders">Most advisory-lock connections held at once (at least 1; a third of the pool by default).</param>
    public ConversationTurnLocks(NpgsqlDataSource dataSource, int maxHolders)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHolders, 1);
        _dataSource = dataSource;
        MaxHolders = maxHolders;
        _holders = new SemaphoreSlim(maxHolders, maxHolders);
    }

    /// <inheritdoc />
    public void Dispose() => _holders.Dispose();

    /// <summary>Most advisory-lock connections this process holds at once.</summary>
    public int MaxHolders { get; }

    /// <summary>Conversations with a turn running or waiting in this process.</summary>
    public int ActiveGates
    {
        get
        {
            lock (_gatesLock)
            {
                return _gates.Count;
            }
        }
    }

    /// <summary>The advisory-lock key of a conversation: its 128-bit id folded to 64 bits.</summary>
    /// <param name="conversationId">The conversation.</param>
    public static long KeyOf(Guid conversationId)
    {
        Span<byte> bytes = stackalloc byte[16];
        conversationId.TryWriteBytes(bytes);
        return BitConverter.ToInt64(bytes[..8]) ^ BitConverter.ToInt64(bytes[8..]);
    }

    /// <summary>
    /// Waits until this instance and every other one run no turn of <paramref name="conversationId"/>; dispose the result
    /// to let the next one in. Throws <see cref="OperationCanceledException"/> when cancelled and
    /// <see cref="NpgsqlException"/> when the database cannot be reached (nothing is held then).
    /// </summary>
    /// <param name="conversationId">The conversation.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The held lock.</returns>
    public async Task<IAsyncDisposable> AcquireAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        var gate = await EnterLocalAsync(conversationId, cancellationToken);
        var holding = false;
        NpgsqlConnection? connection = null;
        try
        {
            await _holders.WaitAsync(cancellationToken);
            holding = true;
            connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = KeyOf(conversationId) });
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            return new Held(this, conversationId, gate, connection, transaction);
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            if (holding)
            {
                _holders.Release();
            }

            ExitLocal(conversationId, gate);
            throw;
        }
    }

    /// <summary>
    /// Waits for this process's gate of <paramref name="conversationId"/> only, without the database lock: for writes that
    /// only the instance holding the call's socket makes (what the caller heard, settled by echoed marks).
    /// </summary>
    /// <param name="conversationId">The conversation.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The held gate.</returns>
    public async Task<IAsyncDisposable> AcquireLocalAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        var gate = await EnterLocalAsync(conversationId, cancellationToken);
        return new HeldLocal(this, conversationId, gate);
    }

    private async Task<Gate> EnterLocalAsync(Guid conversationId, CancellationToken ct)
    {
        Gate gate;
        lock (_gatesLock)
        {
            if (!_gates.TryGetValue(conversationId, out gate!))
            {
                gate = new Gate();
                _gates[conversationId] = gate;
            }

            gate.Users++;
        }

        try
        {
            await gate.Semaphore.WaitAsync(ct);
            return gate;
        }
        catch
        {
            Leave(conversationId, gate);
            throw;
        }
    }

    private void ExitLocal(Guid conversationId, Gate gate)
    {
        gate.Semaphore.Release();
        Leave(conversationId, gate);
    }

    private void Leave(Guid conversationId, Gate gate)
    {
        // The gate lives while a turn runs or waits: no per-conversation memory is kept after the last one.
        lock (_gatesLock)
        {
            if (--gate.Users == 0)
            {
                _gates.Remove(conversationId);
            }
        }
    }

    private sealed class Gate
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Held(ConversationTurnLocks owner, Guid conversationId, Gate gate, NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            try
            {
                // The commit releases the advisory lock; if it fails, closing the connection ends the session and so the lock.
                await transaction.CommitAsync(CancellationToken.None);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
            }
            finally
            {
                await transaction.DisposeAsync();
                await connection.DisposeAsync();
                owner._holders.Release();
                owner.ExitLocal(conversationId, gate);
            }
        }
    }

    private sealed class HeldLocal(ConversationTurnLocks owner, Guid conversationId, Gate gate) : IAsyncDisposable
    {
        private int _disposed;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.ExitLocal(conversationId, gate);
            }

            return ValueTask.CompletedTask;
        }
    }
}
