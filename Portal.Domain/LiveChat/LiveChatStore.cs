using Npgsql;
using NpgsqlTypes;
using Portal.Data.Entities;

namespace Portal.Domain.LiveChat;

/// <summary>
/// Turns written outside the engine (a customer's message while a person holds the chat, a team member's message, the
/// agent's hand-over notices) in plain SQL: one statement bumps the conversation's turn count and inserts the turn at that
/// sequence, the same way <see cref="Conversations.TurnLog"/> numbers turns, so engine turns and these never collide.
/// </summary>
public sealed class LiveChatStore(NpgsqlDataSource dataSource)
{
    private const string AppendSql = """
        WITH c AS (
            UPDATE conversations SET turn_count = turn_count + 1, updated_at = $3
            WHERE id = $1 AND tenant_id = $2 AND ended_at IS NULL
            RETURNING id, tenant_id, turn_count)
        INSERT INTO turns (id, tenant_id, conversation_id, sequence, speaker, text, intent, started_at, completed_at, created_at, updated_at)
        SELECT $4, c.tenant_id, c.id, c.turn_count - 1, $5, $6, $7, $3, $3, $3, $3 FROM c
        """;

    /// <summary>Appends a turn; false when the conversation is not the tenant's or has ended (nothing is written).</summary>
    /// <exception cref="ArgumentException">Empty text or text longer than <see cref="Turn.TextMaxLength"/>.</exception>
    public async Task<bool> AppendAsync(Guid tenantId, Guid conversationId, Speaker speaker, string text, string? intent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (text.Length > Turn.TextMaxLength)
        {
            throw new ArgumentException($"The text is longer than {Turn.TextMaxLength} characters.", nameof(text));
        }

        await using var command = dataSource.CreateCommand(AppendSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = conversationId });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.CreateVersion7() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = speaker.ToString() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)intent ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
