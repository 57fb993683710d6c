using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Conversations;
using Portal.Domain.Tenancy;

namespace Portal.Domain.LiveChat;

/// <summary>A conversation's live state: who holds it, whether a person was asked for, and where replies go.</summary>
internal sealed record LiveControl(Guid TenantId, Guid ConversationId, Channel Channel, DateTimeOffset? TakenOverAt, Guid? TakenOverByUserId,
    string? TakenOverByName, DateTimeOffset? HandoverRequestedAt, string AgentName, string? CustomerPhone, string? BusinessNumber);

/// <summary>
/// The plumbing every live-conversation message goes through, whoever writes it (customer, agent or team member): read the
/// conversation's <see cref="LiveControl"/>, store the turn, publish it to the Inbox and the widget, and text it on SMS.
/// Works for the current tenant.
/// </summary>
public sealed class LiveChatRelay(
    IDbContextFactory<PortalDbContext> contextFactory,
    LiveChatStore store,
    ILiveChatNotifier notifier,
    ISmsSender sms,
    ITenantContext tenantContext,
    TimeProvider timeProvider)
{
    private Guid TenantId => tenantContext.TenantId ?? throw new InvalidOperationException("No current tenant.");

    /// <summary>Stores and publishes an agent notice; unless <paramref name="direct"/> (the caller hands it to the customer in its reply), also delivers it (SMS) and the widget shows it as a message.</summary>
    internal async Task SayAsync(LiveControl control, string text, bool direct, CancellationToken cancellationToken)
    {
        await AppendOrThrowAsync(control.ConversationId, Speaker.Agent, text, null, timeProvider.GetUtcNow(), cancellationToken);
        await PublishAsync(control, LiveChatEventKind.AgentMessage, text, control.AgentName, cancellationToken, direct);
        if (!direct)
        {
            await DeliverAsync(control, text, cancellationToken);
        }
    }

    /// <summary>SMS conversations get every message the customer must see by text; the widget gets them through the notifier.</summary>
    internal async Task DeliverAsync(LiveControl control, string text, CancellationToken cancellationToken)
    {
        if (control.Channel != Channel.Sms || control.CustomerPhone is null || control.BusinessNumber is null)
        {
            return;
        }

        foreach (var part in SmsSegments.Split(text))
        {
            await sms.SendAsync(control.TenantId, control.BusinessNumber, control.CustomerPhone, part, cancellationToken);
        }
    }

    /// <summary>Appends a turn; throws <see cref="ConversationEndedException"/> when the conversation has ended.</summary>
    internal async Task AppendOrThrowAsync(Guid conversationId, Speaker speaker, string text, string? intent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!await store.AppendAsync(TenantId, conversationId, speaker, text, intent, now, cancellationToken))
        {
            throw new ConversationEndedException();
        }
    }

    /// <summary>Publishes a live-chat event about the conversation (stamped now).</summary>
    internal Task PublishAsync(LiveControl control, LiveChatEventKind kind, string? text, string? name, CancellationToken cancellationToken, bool direct = false) =>
        notifier.PublishAsync(new LiveChatEvent(control.TenantId, control.ConversationId, control.Channel, kind, text, name, timeProvider.GetUtcNow()) { Direct = direct }, cancellationToken);

    /// <summary>
    /// The conversation's live state. Throws <see cref="KeyNotFoundException"/> when it is not the tenant's,
    /// <see cref="ConversationEndedException"/> when it has ended.
    /// </summary>
    internal async Task<LiveControl> ControlAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var c = await db.Conversations.AsNoTracking().Where(c => c.Id == conversationId)
            .Select(c => new
            {
                c.TenantId, c.Channel, c.TakenOverAt, c.TakenOverByUserId, c.TakenOverByName, c.HandoverRequestedAt, c.CustomerPhone, c.FromNumber, c.ToNumber, c.EndedAt,
                Agent = db.AgentPersonas.Where(a => a.Id == c.AgentPersonaId).Select(a => a.Name).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(cancellationToken) ?? throw new KeyNotFoundException("Conversation not found.");
        if (c.EndedAt is not null)
        {
            throw new ConversationEndedException();
        }

        return new LiveControl(c.TenantId, conversationId, c.Channel, c.TakenOverAt, c.TakenOverByUserId, c.TakenOverByName, c.HandoverRequestedAt,
            c.Agent ?? "Agent", c.FromNumber ?? c.CustomerPhone, c.ToNumber);
    }
}
