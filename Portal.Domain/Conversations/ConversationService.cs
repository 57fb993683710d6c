using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Conversations.Offline;
using Portal.Domain.Instances;
using Portal.Domain.Observability;
using Portal.Domain.Tenancy;

namespace Portal.Domain.Conversations;

/// <summary>The result of one turn, as every channel receives it.</summary>
/// <param name="ConversationId">Conversation.</param>
/// <param name="Reply">What the agent says.</param>
/// <param name="Intent">Recognised intent of the caller's utterance.</param>
/// <param name="Actions">Side effects (booking created, transfer requested…).</param>
/// <param name="Outcome">Conversation outcome after the turn.</param>
/// <param name="Ended">True when the agent ended the conversation.</param>
/// <param name="LatencyMs">Platform processing time of the turn, ms (model time included on the model path).</param>
/// <param name="Engine">Which engine answered (<see cref="TurnEngines"/>).</param>
public sealed record TurnResult(Guid ConversationId, string Reply, string Intent, IReadOnlyList<AgentAction> Actions, ConversationOutcome Outcome, bool Ended, int LatencyMs, string Engine = TurnEngines.Offline)
{
    /// <summary>What the agent asked and awaits after this turn (voice calls wait longer while the caller dictates a name, phone number or message).</summary>
    public PendingQuestion Pending { get; init; }

    /// <summary>The task in progress after this turn (a voice call records the caller during the message flow).</summary>
    public DialogueFlow Flow { get; init; }
}

/// <summary>
/// One event of a streamed turn (<see cref="ConversationService.StreamTurnAsync"/>): a text delta to
/// append, a restart (discard the text streamed so far: the model failed mid-reply and the offline
/// engine answers instead), or the final result (always last, exactly once).
/// </summary>
/// <param name="Delta">Text to append, or null.</param>
/// <param name="Restart">True when the text streamed so far for this turn must be discarded.</param>
/// <param name="Result">The completed turn, on the last event only.</param>
public readonly record struct TurnStreamEvent(string? Delta, bool Restart, TurnResult? Result);

/// <summary>A conversation just opened, with the greeting already stored as its first agent turn.</summary>
/// <param name="ConversationId">New conversation id.</param>
/// <param name="Greeting">The persona's greeting.</param>
public sealed record StartedConversation(Guid ConversationId, string Greeting)
{
    /// <summary>True when the conversation found (a replayed call webhook) has already ended.</summary>
    public bool Ended { get; init; }
}

/// <summary>What the telephony webhook knows about a new inbound call.</summary>
/// <param name="CallSid">Provider call id (Twilio <c>CA…</c>).</param>
/// <param name="FromNumber">Caller's number (E.164), or null when withheld or not a phone number.</param>
/// <param name="ToNumber">The called number (E.164).</param>
/// <param name="CallStatus">Normalized status from the webhook (usually <c>ringing</c>), or null.</param>
public sealed record VoiceCallDetails(string CallSid, string? FromNumber, string ToNumber, string? CallStatus);

/// <summary>Thrown when a turn is sent to a conversation that has ended.</summary>
public sealed class ConversationEndedException() : InvalidOperationException("The conversation has ended.");

/// <summary>
/// The channel-agnostic entry point behind <c>POST /api/v1/conversations/{id}/turns</c> and every channel: opens conversations and
/// processes one caller utterance at a time. Each turn is stored as it completes (the caller's
/// before the engine runs, the agent's with the new state after), so a crash mid-conversation
/// leaves a readable transcript. Chat and API turns of one conversation are serialized across every instance over the
/// database (<see cref="ConversationTurnLocks"/>); a call's turns by its instance's gate (they come only from the instance
/// holding the call's media socket). Who the conversation is with: <see cref="ConversationCustomers"/>; what a phone call
/// adds: <see cref="CallConversationService"/>.
/// </summary>
public sealed class ConversationService(
    IDbContextFactory<PortalDbContext> contextFactory,
    BusinessProfileCache profiles,
    OfflineDialogueEngine engine,
    TurnLog turnLog,
    ITenantContext tenantContext,
    TimeProvider timeProvider,
    ConversationTurnLocks turnLocks,
    Webhooks.IWebhookPublisher webhooks,
    ConversationCustomers customerLinks,
    IModelEngineSelector? modelEngines = null)
{
    /// <summary>Maximum utterance length accepted, in characters.</summary>
    public const int MaxUtteranceLength = 1000;

    private static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Processes one utterance. Throws <see cref="ArgumentException"/> for an empty or over-long
    /// utterance, <see cref="KeyNotFoundException"/> when the conversation is not the current
    /// tenant's, <see cref="ConversationEndedException"/> when it has ended. Built on
    /// <see cref="StreamTurnAsync"/>.
    /// </summary>
    public async Task<TurnResult> ProcessTurnAsync(Guid conversationId, string utterance, CancellationToken cancellationToken)
    {
        await foreach (var item in StreamTurnAsync(conversationId, utterance, cancellationToken))
        {
            if (item.Result is { } result)
            {
                return result;
            }
        }

        throw new InvalidOperationException("The turn ended without a result.");
    }

    /// <summary>
    /// Processes one utterance and streams the reply: text deltas as the engine produces them
    /// (token by token on the model path), then the <see cref="TurnResult"/>. The language model
    /// answers when one is configured for the tenant's agent and the conversation has not fallen
    /// back; when it fails, the offline engine answers the same utterance from the same state (a
    /// <see cref="TurnStreamEvent.Restart"/> first if text was already streamed) and the
    /// conversation is marked as fallen back. Throws as <see cref="ProcessTurnAsync"/> does (on the
    /// first move of the enumerator).
    /// </summary>
    public IAsyncEnumerable<TurnStreamEvent> StreamTurnAsync(Guid conversationId, string utterance, CancellationToken cancellationToken) =>
        StreamCoreAsync(conversationId, utterance, playbackPending: false, cancellationToken);

    /// <summary>
    /// <see cref="StreamTurnAsync"/> for a live call: the agent's reply is stored <see cref="Turn.PlaybackPending"/> ("not
    /// yet heard"), to be settled by <see cref="CallConversationService.RecordHeardAsync"/> or <see cref="CallConversationService.TruncateLastAgentTurnAsync"/> as its audio
    /// plays, or by the orphaned-calls job when the call dies first. Throws as <see cref="ProcessTurnAsync"/> does.
    /// </summary>
    public IAsyncEnumerable<TurnStreamEvent> StreamVoiceTurnAsync(Guid conversationId, string utterance, CancellationToken cancellationToken) =>
        StreamCoreAsync(conversationId, utterance, playbackPending: true, cancellationToken);

    private async IAsyncEnumerable<TurnStreamEvent> StreamCoreAsync(Guid conversationId, string utterance, bool playbackPending, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var text = (utterance ?? "").Trim();
        if (text.Length == 0)
        {
            throw new ArgumentException("The utterance is empty.", nameof(utterance));
        }

        Portal.Data.Text.InputText.EnsureNoControlCharacters(text, "your message", nameof(utterance));

        if (text.Length > MaxUtteranceLength)
        {
            throw new ArgumentException($"The utterance is longer than {MaxUtteranceLength} characters.", nameof(utterance));
        }

        // A chat or API turn may reach any instance: the lock holds across all of them. A call's turns come only from the
        // instance holding its media socket (one stream per call, claimed in the database by its stream SID), so this
        // process's gate serializes them without a database connection and three round trips per turn.
        await using (await (playbackPending
            ? turnLocks.AcquireLocalAsync(conversationId, cancellationToken)
            : turnLocks.AcquireAsync(conversationId, cancellationToken)))
        {
            await foreach (var item in StreamLockedAsync(conversationId, text, playbackPending, cancellationToken))
            {
                yield return item;
            }
        }
    }

    private async IAsyncEnumerable<TurnStreamEvent> StreamLockedAsync(Guid conversationId, string text, bool playbackPending, [EnumeratorCancellation] CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var tenantId = tenantContext.TenantId ?? throw new KeyNotFoundException("Conversation not found.");
        var receivedAt = timeProvider.GetUtcNow();
        var customerTurnId = Guid.CreateVersion7();
        // Stored before the engine runs: a crash mid-turn still leaves what the caller said.
        var open = await turnLog.BeginAsync(tenantId, conversationId, customerTurnId, text, receivedAt, ct);
        if (open is null)
        {
            throw await turnLog.IsEndedAsync(tenantId, conversationId, ct)
                ? new ConversationEndedException()
                : new KeyNotFoundException("Conversation not found.");
        }

        using var activity = PortalTelemetry.Source.StartActivity("dialogue.turn");
        activity?.SetTag(PortalTelemetry.TenantTag, tenantId.ToString());
        activity?.SetTag(PortalTelemetry.ConversationTag, conversationId.ToString());
        activity?.SetTag(PortalTelemetry.ChannelTag, open.Channel.ToString());
        var profile = await profiles.GetAsync(open.TenantId, ct);
        var state = JsonSerializer.Deserialize<DialogueState>(open.State, StateJson) ?? new DialogueState();
        await customerLinks.IdentifyCustomerAsync(tenantId, conversationId, open, state, ConversationCustomers.NoteEmail(open, state, text), ct);
        var promptSawReturning = state.Returning is { Welcomed: false };
        var context = new DialogueContext(profile, conversationId, open.Channel,
            open.Channel == Channel.Voice ? open.CustomerPhone : null, profile.ToLocal(receivedAt),
            open.AgentPersonaId == Guid.Empty ? null : open.AgentPersonaId);

        var model = open.FellBack || modelEngines is null ? null : await modelEngines.SelectAsync(context, open.AgentPersonaId, ct);
        var engineName = model is null ? open.FellBack ? TurnEngines.Fallback : TurnEngines.Offline : TurnEngines.Model;
        DialogueReply? reply = null;
        TurnUsage? usage = null;
        ModelUnavailableException? failure = null;
        if (model is not null)
        {
            await using var items = model.StreamAsync(context, state, text, ct).GetAsyncEnumerator(ct);
            while (true)
            {
                DialogueStreamItem item;
                try
                {
                    if (!await items.MoveNextAsync())
                    {
                        break;
                    }

                    item = items.Current;
                }
                catch (ModelUnavailableException ex)
                {
                    failure = ex;
                    break;
                }

                if (item.Reply is { } done)
                {
                    reply = done;
                    usage = item.Usage;
                }
                else if (item.Delta is { Length: > 0 } delta)
                {
                    yield return new TurnStreamEvent(delta, false, null);
                }
            }
        }

        // The offline engine decides in one step, so its text is held back until the turn is stored: a caller who hangs up
        // while hearing "you're all set" (the consumer stops reading) cannot leave a booking without its stored turn and outcome.
        List<string>? heldBack = null;
        if (reply is null)
        {
            if (failure is not null)
            {
                engineName = TurnEngines.Fallback;
                if (failure.TextStreamed)
                {
                    yield return new TurnStreamEvent(null, true, null);
                }
            }

            heldBack = [];
            await foreach (var item in engine.StreamAsync(context, state, text, ct))
            {
                if (item.Reply is { } done)
                {
                    reply = failure is null ? done : done with
                    {
                        Actions = [.. failure.ActionsSoFar, .. done.Actions],
                        Outcome = ConversationOutcomes.Stronger(failure.OutcomeSoFar, done.Outcome),
                    };
                }
                else if (item.Delta is { Length: > 0 } delta)
                {
                    heldBack.Add(delta);
                }
            }
        }

        if (reply is null)
        {
            throw new InvalidOperationException("The engine ended without a reply.");
        }

        await customerLinks.IdentifyCustomerAsync(tenantId, conversationId, open, state, force: false, CancellationToken.None);
        reply = ConversationCustomers.Welcome(reply, state, heldBack, promptSawReturning);

        var latencyMs = (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        activity?.SetTag(PortalTelemetry.EngineTag, engineName);
        PortalTelemetry.TurnDuration.Record(latencyMs,
            new KeyValuePair<string, object?>(PortalTelemetry.EngineTag, engineName), new KeyValuePair<string, object?>(PortalTelemetry.ChannelTag, open.Channel.ToString()));
        var repliedAt = timeProvider.GetUtcNow();
        var outcome = open.Outcome;
        if (reply.Outcome is { } settled && ConversationOutcomes.Rank(settled) >= ConversationOutcomes.Rank(outcome))
        {
            outcome = settled;
        }

        DateTimeOffset? endedAt = null;
        if (state.Ended)
        {
            endedAt = repliedAt;
            if (outcome == ConversationOutcome.InProgress)
            {
                outcome = ConversationOutcome.Abandoned;
            }
        }

        var agentText = reply.Text.Length > Turn.TextMaxLength ? reply.Text[..Turn.TextMaxLength] : reply.Text;
        var reason = failure?.Reason is { } r && r.Length > Conversation.FallbackReasonMaxLength ? r[..Conversation.FallbackReasonMaxLength] : failure?.Reason;
        // Not cancellable: once the engine has acted (a booking written, a message taken), the turn that says so is stored
        // even when the call ends at this moment.
        await turnLog.CompleteAsync(tenantId, conversationId, new ClosedTurn(
            customerTurnId, reply.Intent.ToString(), agentText, latencyMs, JsonSerializer.Serialize(state, StateJson),
            state.CustomerName ?? open.CustomerName, state.CustomerPhone ?? open.CustomerPhone, outcome, endedAt,
            engineName, usage, reason, playbackPending), repliedAt, CancellationToken.None);
        foreach (var delta in heldBack ?? [])
        {
            yield return new TurnStreamEvent(delta, false, null);
        }

        yield return new TurnStreamEvent(null, false,
            new TurnResult(conversationId, reply.Text, reply.Intent.ToString(), reply.Actions, outcome, state.Ended, latencyMs, engineName)
            {
                Pending = state.Pending,
                Flow = state.Flow,
            });
    }

    /// <summary>Opens a conversation with the tenant's agent on <paramref name="channel"/> (a test one on <see cref="Channel.Test"/>). Throws <see cref="InvalidOperationException"/> when there is no current tenant or no agent.</summary>
    public Task<StartedConversation> StartAsync(Channel channel, string? callerPhone, CancellationToken cancellationToken) =>
        StartCoreAsync(channel, callerPhone, null, c => c.IsTest = channel == Channel.Test, cancellationToken);

    /// <summary>
    /// Opens a test conversation (<see cref="Conversation.IsTest"/>): the owner trying the agent from the portal, by chat
    /// (<see cref="Channel.Test"/>) or by a browser call (<see cref="Channel.Voice"/>, so the agent talks as on the phone).
    /// Throws <see cref="InvalidOperationException"/> when there is no current tenant or no agent.
    /// </summary>
    public Task<StartedConversation> StartTestAsync(Channel channel, CancellationToken cancellationToken) =>
        StartCoreAsync(channel, null, null, c => c.IsTest = true, cancellationToken);

    /// <summary>
    /// The greeting the tenant's agent would open a conversation with, without storing anything: the console shows it and
    /// opens the conversation with the first message. Throws <see cref="InvalidOperationException"/> when there is no
    /// current tenant or no agent.
    /// </summary>
    public async Task<string> GreetingAsync(CancellationToken cancellationToken)
    {
        _ = tenantContext.TenantId ?? throw new InvalidOperationException("No current tenant.");
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var persona = await db.AgentPersonas.AsNoTracking().OrderByDescending(a => a.IsLive).ThenBy(a => a.CreatedAt).FirstOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException("This business has no agent yet.");
        var tenant = await db.Tenants.AsNoTracking().FirstAsync(cancellationToken);
        return Greeting(persona, tenant);
    }

    /// <summary>
    /// Opens a conversation for the current tenant with the agent <paramref name="agentPersonaId"/> (else the live one), the
    /// greeting stored as its first agent turn (<see cref="Turn.PlaybackPending"/> when <paramref name="greetingPending"/>),
    /// after <paramref name="configure"/> has set the channel's own fields. Throws <see cref="InvalidOperationException"/>
    /// when there is no current tenant or no agent, <see cref="DbUpdateException"/> when a unique index (a call SID) refuses it.
    /// </summary>
    internal async Task<StartedConversation> StartCoreAsync(Channel channel, string? callerPhone, Guid? agentPersonaId, Action<Conversation>? configure, CancellationToken cancellationToken, bool greetingPending = false)
    {
        var tenantId = tenantContext.TenantId ?? throw new InvalidOperationException("No current tenant.");
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var personas = agentPersonaId is { } wanted ? db.AgentPersonas.Where(a => a.Id == wanted) : db.AgentPersonas;
        var persona = await personas.OrderByDescending(a => a.IsLive).ThenBy(a => a.CreatedAt).FirstOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException("This business has no agent yet.");
        var tenant = await db.Tenants.FirstAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        var state = new DialogueState();
        var conversation = new Conversation
        {
            TenantId = tenantId,
            AgentPersonaId = persona.Id,
            Channel = channel,
            StartedAt = now,
            CustomerPhone = callerPhone,
            TurnCount = 1,
        };
        configure?.Invoke(conversation);
        var greeting = await customerLinks.IdentifyCallerAsync(tenantId, conversation, state, Greeting(persona, tenant), cancellationToken);
        conversation.State = JsonSerializer.Serialize(state, StateJson);
        conversation.Turns.Add(new Turn { TenantId = tenantId, Sequence = 0, Speaker = Speaker.Agent, Text = greeting, StartedAt = now, CompletedAt = now, LatencyMs = 0, PlaybackPending = greetingPending });
        db.Conversations.Add(conversation);
        await db.SaveChangesAsync(cancellationToken);
        return new StartedConversation(conversation.Id, greeting);
    }

    /// <summary>The persona's greeting with <c>{businessName}</c> and <c>{agentName}</c> filled in.</summary>
    public static string Greeting(AgentPersona persona, Tenant tenant)
    {
        var greeting = string.IsNullOrWhiteSpace(persona.Greeting)
            ? $"Thanks for contacting {{businessName}}, this is {{agentName}}. How can I help you today?"
            : persona.Greeting;
        return greeting.Replace("{businessName}", tenant.Name, StringComparison.OrdinalIgnoreCase)
            .Replace("{agentName}", persona.Name, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Ends a conversation (the caller hung up, the chat was closed). Idempotent. One conditional UPDATE, so a turn completing
    /// at the same moment (the caller hangs up while the booking is written) keeps its outcome: only a conversation still
    /// <see cref="ConversationOutcome.InProgress"/> becomes Answered (more than the greeting) or Abandoned.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such conversation for the current tenant.</exception>
    public async Task EndAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        var ended = await db.Conversations.Where(c => c.Id == conversationId && c.EndedAt == null).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.EndedAt, now)
            .SetProperty(c => c.Outcome, c => c.Outcome == ConversationOutcome.InProgress
                ? (c.TurnCount > 1 ? ConversationOutcome.Answered : ConversationOutcome.Abandoned)
                : c.Outcome)
            .SetProperty(c => c.UpdatedAt, now), cancellationToken);
        if (ended == 0 && !await db.Conversations.AnyAsync(c => c.Id == conversationId, cancellationToken))
        {
            throw new KeyNotFoundException("Conversation not found.");
        }

        if (ended == 1)
        {
            var c = await db.Conversations.AsNoTracking().FirstAsync(x => x.Id == conversationId, cancellationToken);
            await webhooks.PublishAsync(c.TenantId, Webhooks.WebhookEventTypes.ConversationEnded, Webhooks.WebhookData.Conversation(c), cancellationToken);
        }
    }
}
