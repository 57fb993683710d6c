using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Domain.Calls;

/// <summary>Why an inbound call can or cannot be answered.</summary>
public enum CallRouteKind
{
    /// <summary>The number is assigned to an agent of an active business.</summary>
    Answer,
    /// <summary>The number is not in the pool, or not assigned to anyone.</summary>
    UnknownNumber,
    /// <summary>The business holding the number is suspended.</summary>
    TenantSuspended,
}

/// <summary>Where an inbound call goes.</summary>
/// <param name="Kind">Answer or why not.</param>
/// <param name="TenantId">Tenant holding the number (for <see cref="CallRouteKind.Answer"/> and <see cref="CallRouteKind.TenantSuspended"/>).</param>
/// <param name="AgentPersonaId">Agent the number is assigned to (for <see cref="CallRouteKind.Answer"/>).</param>
/// <param name="TransferNumber">The agent's transfer number (E.164), or null: where a caller goes when the agent cannot answer.</param>
public sealed record CallRoute(CallRouteKind Kind, Guid? TenantId = null, Guid? AgentPersonaId = null, string? TransferNumber = null);

/// <summary>Result of applying a status callback.</summary>
public enum CallStatusUpdate
{
    /// <summary>The status was stored.</summary>
    Applied,
    /// <summary>A repeated or out-of-order callback; the record was left as it was.</summary>
    Ignored,
    /// <summary>No conversation has this CallSid; nothing changed.</summary>
    UnknownCall,
}

/// <summary>A Twilio status callback's content (https://www.twilio.com/docs/voice/api/call-resource).</summary>
/// <param name="CallSid">Provider call id.</param>
/// <param name="Status">Normalized status (<see cref="CallStatuses"/>).</param>
/// <param name="DurationSeconds"><c>CallDuration</c> in seconds (terminal events), or null.</param>
/// <param name="SequenceNumber"><c>SequenceNumber</c> (from 0), or null when absent.</param>
/// <param name="Timestamp"><c>Timestamp</c> (RFC 2822 UTC), or null when absent or unparsable.</param>
public sealed record CallStatusCallback(string CallSid, string Status, int? DurationSeconds, int? SequenceNumber, DateTimeOffset? Timestamp);

/// <summary>
/// The telephony edge's view of the database: maps a called number to its business and agent, and
/// applies call status callbacks to the call's conversation. Both work before any tenant is known
/// (Twilio's requests carry no tenant), so both query across tenants on purpose; the webhook signature
/// check is what authorizes them.
/// </summary>
public sealed class CallRouter(IDbContextFactory<PortalDbContext> contextFactory, TimeProvider timeProvider, Webhooks.IWebhookPublisher webhooks)
{
    private const int MaxAttempts = 5;

    /// <summary>Finds the business and agent answering <paramref name="calledNumber"/> (E.164, as Twilio sends <c>To</c>).</summary>
    public async Task<CallRoute> RouteAsync(string? calledNumber, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(calledNumber))
        {
            return new CallRoute(CallRouteKind.UnknownNumber);
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var number = await db.PhoneNumbers.AsNoTracking()
            .Where(p => p.E164 == calledNumber.Trim() && p.Status == PhoneNumberStatus.Assigned && p.TenantId != null && p.AgentPersonaId != null)
            .Select(p => new
            {
                p.TenantId,
                p.AgentPersonaId,
                // Cross-tenant on purpose, like the tenant lookup below: the number decides the tenant.
                TransferNumber = db.AgentPersonas.IgnoreQueryFilters().Where(a => a.Id == p.AgentPersonaId).Select(a => a.TransferNumber).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (number is null)
        {
            return new CallRoute(CallRouteKind.UnknownNumber);
        }

        // Cross-tenant on purpose: no tenant is current yet; the number is what tells us which one.
        var status = await db.Tenants.IgnoreQueryFilters().AsNoTracking()
            .Where(t => t.Id == number.TenantId)
            .Select(t => (TenantStatus?)t.Status)
            .FirstOrDefaultAsync(cancellationToken);
        return status switch
        {
            null => new CallRoute(CallRouteKind.UnknownNumber),
            TenantStatus.Suspended => new CallRoute(CallRouteKind.TenantSuspended, number.TenantId),
            _ => new CallRoute(CallRouteKind.Answer, number.TenantId, number.AgentPersonaId, string.IsNullOrWhiteSpace(number.TransferNumber) ? null : number.TransferNumber),
        };
    }

    /// <summary>
    /// Applies a status callback to the conversation with its CallSid. Idempotent and order-safe
    /// (<see cref="CallStatuses.ShouldApply"/>): each write is conditional on the status and sequence it
    /// was decided from, and retried on a lost race, so two concurrent callbacks cannot interleave. A
    /// terminal status stores the duration and ends the conversation (keeping an earlier end time).
    /// </summary>
    public async Task<CallStatusUpdate> ApplyStatusAsync(CallStatusCallback callback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(callback);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            // Cross-tenant on purpose: a status callback carries only the CallSid, which is globally unique.
            var current = await db.Conversations.IgnoreQueryFilters().AsNoTracking()
                .Where(c => c.CallSid == callback.CallSid)
                .Select(c => new { c.Id, c.CallStatus, c.LastStatusSequence })
                .FirstOrDefaultAsync(cancellationToken);
            if (current is null)
            {
                return CallStatusUpdate.UnknownCall;
            }

            if (!CallStatuses.ShouldApply(current.CallStatus, current.LastStatusSequence, callback.Status, callback.SequenceNumber))
            {
                return CallStatusUpdate.Ignored;
            }

            var now = timeProvider.GetUtcNow();
            var at = callback.Timestamp ?? now;
            var sequence = callback.SequenceNumber ?? current.LastStatusSequence;
            var terminal = CallStatuses.IsTerminal(callback.Status);
            var guarded = db.Conversations.IgnoreQueryFilters()
                .Where(c => c.Id == current.Id && c.CallStatus == current.CallStatus && c.LastStatusSequence == current.LastStatusSequence);
            var changed = terminal
                ? await guarded.ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.CallStatus, callback.Status)
                    .SetProperty(c => c.LastStatusSequence, sequence)
                    .SetProperty(c => c.LastStatusAt, at)
                    .SetProperty(c => c.DurationSeconds, c => callback.DurationSeconds ?? c.DurationSeconds)
                    .SetProperty(c => c.EndedAt, c => c.EndedAt ?? now)
                    .SetProperty(c => c.Outcome, c => c.Outcome == ConversationOutcome.InProgress
                        ? (c.TurnCount > 1 ? ConversationOutcome.Answered : ConversationOutcome.Abandoned)
                        : c.Outcome)
                    .SetProperty(c => c.UpdatedAt, now), cancellationToken)
                : await guarded.ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.CallStatus, callback.Status)
                    .SetProperty(c => c.LastStatusSequence, sequence)
                    .SetProperty(c => c.LastStatusAt, at)
                    .SetProperty(c => c.UpdatedAt, now), cancellationToken);
            if (changed == 1)
            {
                if (terminal)
                {
                    // Cross-tenant on purpose, as above: the CallSid names the call; its row names the business.
                    var call = await db.Conversations.IgnoreQueryFilters().AsNoTracking().FirstAsync(c => c.Id == current.Id, cancellationToken);
                    await webhooks.PublishAsync(call.TenantId, Webhooks.WebhookEventTypes.CallCompleted, Webhooks.WebhookData.Call(call), cancellationToken);
                }

                return CallStatusUpdate.Applied;
            }
        }

        // Lost every race: another callback for this call keeps winning; its write stands.
        return CallStatusUpdate.Ignored;
    }
}
