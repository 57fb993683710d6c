using Npgsql;
using NpgsqlTypes;
using Portal.Data.Entities;

namespace Portal.Domain.Conversations;

/// <summary>The conversation as a turn starts: what the engine needs, read in the same statement that stores the caller's turn.</summary>
/// <param name="TenantId">Owning tenant.</param>
/// <param name="Channel">Channel.</param>
/// <param name="TurnCount">Turns stored, including the caller's turn just written.</param>
/// <param name="State">Serialized dialogue state (JSON).</param>
/// <param name="CustomerName">Known name.</param>
/// <param name="CustomerPhone">Known phone (E.164).</param>
/// <param name="Outcome">Outcome so far.</param>
/// <param name="AgentPersonaId">The agent serving the conversation.</param>
/// <param name="FellBack">True once the model path failed in this conversation (it stays offline).</param>
/// <param name="IsTest">True for the business's own test conversations (never linked to a customer).</param>
public sealed record OpenTurn(Guid TenantId, Channel Channel, int TurnCount, string State, string? CustomerName, string? CustomerPhone, ConversationOutcome Outcome, Guid AgentPersonaId = default, bool FellBack = false, bool IsTest = false);

/// <summary>What the end of a turn writes.</summary>
/// <param name="CustomerTurnId">The caller's turn (its intent is filled in).</param>
/// <param name="Intent">Recognised intent.</param>
/// <param name="AgentText">The reply.</param>
/// <param name="LatencyMs">Platform processing time, ms.</param>
/// <param name="State">New serialized state (JSON).</param>
/// <param name="CustomerName">Name after the turn.</param>
/// <param name="CustomerPhone">Phone after the turn.</param>
/// <param name="Outcome">Outcome after the turn.</param>
/// <param name="EndedAt">When the conversation ended, if it did.</param>
/// <param name="Engine">Which engine answered (<see cref="TurnEngines"/>).</param>
/// <param name="Usage">Model usage and cost of the turn, or null.</param>
/// <param name="FallbackReason">Set on the turn where the model path failed: marks the conversation as fallen back.</param>
/// <param name="PlaybackPending">True when the reply is stored before it is spoken (a call): the turn says "not yet heard" until settled.</param>
public sealed record ClosedTurn(Guid CustomerTurnId, string Intent, string AgentText, int LatencyMs, string State, string? CustomerName, string? CustomerPhone, ConversationOutcome Outcome, DateTimeOffset? EndedAt,
    string Engine = TurnEngines.Offline, TurnUsage? Usage = null, string? FallbackReason = null, bool PlaybackPending = false);

/// <summary>Timing and recognition figures of one voice exchange (a caller turn and the agent's reply), as the call pipeline measured them.</summary>
/// <param name="Confidence">Speech-to-text confidence of the caller's turn in 0..1, or null (keypad turn).</param>
/// <param name="CallerStartMs">Start of the caller's speech, ms from the start of the media stream.</param>
/// <param name="CallerEndMs">End of the caller's speech, ms from the start of the media stream.</param>
/// <param name="AgentStartMs">First agent audio frame sent, ms from the start of the media stream.</param>
/// <param name="AgentEndMs">Last agent audio frame sent (or the barge-in), ms from the start of the media stream.</param>
/// <param name="TranscriptLatencyMs">End of speech → final transcript, ms.</param>
/// <param name="ModelLatencyMs">Final transcript → first model token, ms.</param>
/// <param name="SpeechLatencyMs">First model token → first text-to-speech byte, ms.</param>
/// <param name="FrameOutLatencyMs">First text-to-speech byte → first media frame out, ms.</param>
public sealed record VoiceTurnMetrics(
    double? Confidence, int? CallerStartMs, int? CallerEndMs, int? AgentStartMs, int? AgentEndMs,
    int? TranscriptLatencyMs, int? ModelLatencyMs, int? SpeechLatencyMs, int? FrameOutLatencyMs);

/// <summary>
/// The hot path of <see cref="ConversationService.ProcessTurnAsync"/> in plain SQL: one round trip
/// stores the caller's turn and reads the conversation (a data-modifying CTE), one round trip stores
/// the reply, the new state and the outcome (a three-statement batch, atomic as one implicit
/// transaction). EF Core would need three commands and its change tracker for the same work
/// (docs/benchmarks.md). Every statement names the tenant explicitly; the EF query filter is not
/// in play here. Column names follow the snake_case mapping of <see cref="Portal.Data.PortalDbContext"/>.
/// </summary>
public sealed class TurnLog(NpgsqlDataSource dataSource)
{
    private const string BeginSql = """
        WITH c AS (
            UPDATE conversations SET turn_count = turn_count + 1, updated_at = $3
            WHERE id = $1 AND tenant_id = $2 AND ended_at IS NULL
            RETURNING id, tenant_id, channel, turn_count, state, customer_name, customer_phone, outcome, agent_persona_id, fell_back_at, is_test),
        t AS (
            INSERT INTO turns (id, tenant_id, conversation_id, sequence, speaker, text, started_at, completed_at, created_at, updated_at)
            SELECT $4, c.tenant_id, c.id, c.turn_count - 1, 'Customer', $5, $3, $3, $3, $3 FROM c)
        SELECT tenant_id, channel, turn_count, state::text, customer_name, customer_phone, outcome, agent_persona_id, fell_back_at IS NOT NULL, is_test FROM c
        """;

    /// <summary>
    /// Stores the caller's turn and returns the conversation; null when the conversation is not the
    /// tenant's or has ended (<see cref="IsEndedAsync"/> tells which).
    /// </summary>
    public async Task<OpenTurn?> BeginAsync(Guid tenantId, Guid conversationId, Guid turnId, string text, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(BeginSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = conversationId });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = turnId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new OpenTurn(
            reader.GetGuid(0),
            Enum.Parse<Channel>(reader.GetString(1)),
            reader.GetInt32(2),
            reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            Enum.Parse<ConversationOutcome>(reader.GetString(6)),
            reader.GetGuid(7),
            reader.GetBoolean(8),
            reader.GetBoolean(9));
    }

    /// <summary>True when the tenant's conversation exists and has ended; false when it does not exist for this tenant.</summary>
    public async Task<bool> IsEndedAsync(Guid tenantId, Guid conversationId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT ended_at IS NOT NULL FROM conversations WHERE id = $1 AND tenant_id = $2");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = conversationId });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = tenantId });
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>Stores the agent's reply, the caller turn's intent, the new state and outcome; one round trip.</summary>
    public async Task CompleteAsync(Guid tenantId, Guid conversationId, ClosedTurn turn, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var utc = now.ToUniversalTime();
        await using var batch = dataSource.CreateBatch();
        var intent = new NpgsqlBatchCommand("UPDATE turns SET intent = $1, updated_at = $2 WHERE id = $3 AND tenant_id = $4");
        intent.Parameters.Add(new NpgsqlParameter<string> { TypedValue = turn.Intent });
        intent.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = utc, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        intent.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = turn.CustomerTurnId });
        intent.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = tenantId });
        batch.BatchCommands.Add(intent);

        var reply = new NpgsqlBatchCommand("""
            INSERT INTO turns (id, tenant_id, conversation_id, sequence, speaker, text, started_at, completed_at, latency_ms, created_at, updated_at,
                engine, model, input_tokens, output_tokens, cost_micro_usd, playback_pending)
            SELECT $1, $2, $3, c.turn_count, 'Agent', $4, $5, $5, $6, $5, $5, $7, $8, $9, $10, $11, $12 FROM conversations c WHERE c.id = $3 AND c.tenant_id = $2
            """);
        reply.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.CreateVersion7() });
        reply.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = tenantId });
        reply.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = conversationId });
        reply.Parameters.Add(new NpgsqlParameter<string> { TypedValue = turn.AgentText });
        reply.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = utc, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        reply.Parameters.Add(new NpgsqlParameter<int> { TypedValue = turn.LatencyMs });
        reply.Parameters.Add(new NpgsqlParameter<string> { TypedValue = turn.Engine });
        reply.Parameters.Add(new NpgsqlParameter { Value = (object?)turn.Usage?.Model ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
        reply.Parameters.Add(new NpgsqlParameter { Value = (object?)turn.Usage?.InputTokens ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        reply.Parameters.Add(new NpgsqlParameter { Value = (object?)turn.Usage?.OutputTokens ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        reply.Parameters.Add(new NpgsqlParameter { Value = (object?)turn.Usage?.CostMicroUsd ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        reply.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = turn.PlaybackPending });
        batch.BatchCommands.Add(reply);

        var conversation = new NpgsqlBatchCommand("""
            UPDATE conversations SET turn_count = turn_count + 1, state = $3::jsonb, customer_name = $4, customer_phone = $5,
                outcome = $6, ended_at = COALESCE(ended_at, $7), updated_at = $8,
                fell_back_at = CASE WHEN $9::text IS NULL THEN fell_back_at ELSE COALESCE(fell_back_at, $8) END,
                fallback_reason = COALESCE(fallback_reason, $9)
            WHERE id = $1 AND tenant_id = $2
            """);
        conversation.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = conversationId });
        conversation.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = tenantId });
        conversation.Parameters.Add(new NpgsqlParameter<string> { TypedValue = turn.State });
        conversation.Parameters.Add(new NpgsqlParameter { Value = (object?)turn.CustomerName ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
        conversation.Parameters.Add(new NpgsqlParameter { Value = (object?)turn.CustomerPhone ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
        conversation.Parameters.Add(new NpgsqlParameter<string> { TypedValue = turn.Outcome.ToString() });
        conversation.Parameters.Add(new NpgsqlParameter { Value = turn.EndedAt is { } e ? e.ToUniversalTime() : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        conversation.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = utc, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        conversation.Parameters.Add(new NpgsqlParameter { Value = (object?)turn.FallbackReason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
        batch.BatchCommands.Add(conversation);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private const string LastTurnSql = "SELECT id FROM turns WHERE conversation_id = $1 AND tenant_id = $2 AND speaker = '{0}' ORDER BY sequence DESC LIMIT 1";

    /// <summary>
    /// Replaces the text of the conversation's last agent turn with what the caller actually heard (barge-in, hang-up) and
    /// marks it interrupted and settled (no longer <see cref="Turn.PlaybackPending"/>). Returns false when the conversation
    /// has no agent turn for this tenant (nothing changes).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="heardText"/> is longer than <see cref="Turn.TextMaxLength"/>.</exception>
    public async Task<bool> TruncateLastAgentTurnAsync(Guid tenantId, Guid conversationId, string heardText, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(heardText);
        if (heardText.Length > Turn.TextMaxLength)
        {
            throw new ArgumentException($"The text is longer than {Turn.TextMaxLength} characters.", nameof(heardText));
        }

        await using var command = dataSource.CreateCommand(
            "UPDATE turns SET text = $3, interrupted = TRUE, playback_pending = FALSE, heard_text = NULL, updated_at = $4 WHERE id = (" + string.Format(System.Globalization.CultureInfo.InvariantCulture, LastTurnSql, "Agent") + ")");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = conversationId });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = heardText });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Records how much of the conversation's last agent turn the caller has heard while it plays (echoed marks). Only a turn
    /// still <see cref="Turn.PlaybackPending"/> changes: <paramref name="complete"/> settles it with its text as stored;
    /// otherwise <paramref name="heardText"/> becomes its <see cref="Turn.HeardText"/>, what a crash would leave of it.
    /// Returns false when no pending agent turn was found (already settled, or none).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="heardText"/> is longer than <see cref="Turn.TextMaxLength"/>.</exception>
    public async Task<bool> RecordHeardAsync(Guid tenantId, Guid conversationId, string heardText, bool complete, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(heardText);
        if (heardText.Length > Turn.TextMaxLength)
        {
            throw new ArgumentException($"The text is longer than {Turn.TextMaxLength} characters.", nameof(heardText));
        }

        await using var command = dataSource.CreateCommand(
            "UPDATE turns SET heard_text = CASE WHEN $5 THEN NULL ELSE $3 END, playback_pending = NOT $5, updated_at = $4 WHERE playback_pending AND id = ("
            + string.Format(System.Globalization.CultureInfo.InvariantCulture, LastTurnSql, "Agent") + ")");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = conversationId });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = heardText });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = complete });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Stores the figures of the latest voice exchange: confidence and audio span on the last caller turn, audio span and
    /// latency breakdown on the last agent turn (one round trip). Nulls leave nothing stale: the columns are written as given.
    /// </summary>
    public async Task RecordVoiceMetricsAsync(Guid tenantId, Guid conversationId, VoiceTurnMetrics metrics, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var utc = now.ToUniversalTime();
        await using var batch = dataSource.CreateBatch();
        var caller = new NpgsqlBatchCommand(
            "UPDATE turns SET confidence = $3, audio_start_ms = $4, audio_end_ms = $5, updated_at = $6 WHERE id = ("
            + string.Format(System.Globalization.CultureInfo.InvariantCulture, LastTurnSql, "Customer") + ")");
        caller.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = conversationId });
        caller.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = tenantId });
        caller.Parameters.Add(Nullable(metrics.Confidence, NpgsqlDbType.Double));
        caller.Parameters.Add(Nullable(metrics.CallerStartMs, NpgsqlDbType.Integer));
        caller.Parameters.Add(Nullable(metrics.CallerEndMs, NpgsqlDbType.Integer));
        caller.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = utc, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        batch.BatchCommands.Add(caller);

        var agent = new NpgsqlBatchCommand(
            "UPDATE turns SET audio_start_ms = $3, audio_end_ms = $4, transcript_latency_ms = $5, model_latency_ms = $6, speech_latency_ms = $7, "
            + "frame_out_latency_ms = $8, updated_at = $9 WHERE id = (" + string.Format(System.Globalization.CultureInfo.InvariantCulture, LastTurnSql, "Agent") + ")");
        agent.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = conversationId });
        agent.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = tenantId });
        agent.Parameters.Add(Nullable(metrics.AgentStartMs, NpgsqlDbType.Integer));
        agent.Parameters.Add(Nullable(metrics.AgentEndMs, NpgsqlDbType.Integer));
        agent.Parameters.Add(Nullable(metrics.TranscriptLatencyMs, NpgsqlDbType.Integer));
        agent.Parameters.Add(Nullable(metrics.ModelLatencyMs, NpgsqlDbType.Integer));
        agent.Parameters.Add(Nullable(metrics.SpeechLatencyMs, NpgsqlDbType.Integer));
        agent.Parameters.Add(Nullable(metrics.FrameOutLatencyMs, NpgsqlDbType.Integer));
        agent.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = utc, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        batch.BatchCommands.Add(agent);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter Nullable<T>(T? value, NpgsqlDbType type)
        where T : struct => new() { Value = value is { } v ? v : DBNull.Value, NpgsqlDbType = type };
}
