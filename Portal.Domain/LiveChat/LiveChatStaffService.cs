using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Tenancy;

namespace Portal.Domain.LiveChat;

/// <summary>One row of the staff Inbox.</summary>
/// <param name="ConversationId">Conversation.</param>
/// <param name="Channel">Web chat or SMS.</param>
/// <param name="Customer">The customer's name or number once known, else "Website visitor".</param>
/// <param name="StartedAt">Start (UTC).</param>
/// <param name="LastActivityAt">Last turn (UTC).</param>
/// <param name="LastText">The last line's text.</param>
/// <param name="TakenOverBy">Team member holding it, or null.</param>
/// <param name="HandoverRequestedAt">When a person was asked for and nobody has joined yet, or null.</param>
/// <param name="Ended">True when it has ended.</param>
public sealed record InboxRow(Guid ConversationId, Channel Channel, string Customer, DateTimeOffset StartedAt, DateTimeOffset LastActivityAt,
    string? LastText, string? TakenOverBy, DateTimeOffset? HandoverRequestedAt, bool Ended);

/// <summary>
/// What only people do in a live conversation (the Inbox): list the tenant's web-chat and SMS conversations, take one over
/// (the agent is silent at once), write in it as staff, and hand it back to the agent. Every method works for the current
/// tenant.
/// </summary>
public sealed class LiveChatStaffService(
    IDbContextFactory<PortalDbContext> contextFactory,
    LiveChatRelay relay,
    StaffPresence presence,
    ITenantContext tenantContext,
    TimeProvider timeProvider)
{
    private Guid TenantId => tenantContext.TenantId ?? throw new InvalidOperationException("No current tenant.");

    /// <summary>Live and recent web-chat and SMS conversations (started in the last <paramref name="days"/> days or still open), newest activity first.</summary>
    public async Task<IReadOnlyList<InboxRow>> ListInboxAsync(int days, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var since = timeProvider.GetUtcNow().AddDays(-Math.Clamp(days, 1, 90));
        var rows = await db.Conversations.AsNoTracking()
            .Where(c => (c.Channel == Channel.WebChat || c.Channel == Channel.Sms) && (c.EndedAt == null || c.StartedAt >= since) && c.UpdatedAt >= since)
            .OrderByDescending(c => c.UpdatedAt).Take(Math.Clamp(limit, 1, 500))
            .Select(c => new
            {
                c.Id, c.Channel, c.CustomerName, c.CustomerPhone, c.StartedAt, c.UpdatedAt, c.TakenOverAt, c.TakenOverByName, c.HandoverRequestedAt, c.EndedAt,
                Last = db.Turns.Where(t => t.ConversationId == c.Id).OrderByDescending(t => t.Sequence).Select(t => t.Text).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new InboxRow(r.Id, r.Channel, r.CustomerName ?? r.CustomerPhone ?? "Website visitor", r.StartedAt, r.UpdatedAt, r.Last,
            r.TakenOverAt is null ? null : r.TakenOverByName, r.HandoverRequestedAt, r.EndedAt is not null)).ToList();
    }

    /// <summary>The team member's name as the customer sees it (display name, else the email's local part), or "A team member".</summary>
    public async Task<string> StaffNameAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.Where(u => u.Id == userId && u.TenantId == TenantId).Select(u => new { u.DisplayName, u.Email }).FirstOrDefaultAsync(cancellationToken);
        return !string.IsNullOrWhiteSpace(user?.DisplayName) ? user.DisplayName.Trim()
            : user?.Email is { } email ? email.Split('@')[0] : "A team member";
    }

    /// <summary>
    /// <paramref name="userId"/> takes the conversation over: the agent is silent from now on (a reply being streamed stops),
    /// the customer is told "<c>First</c> from the team has joined" (stored as a staff turn). Throws
    /// <see cref="InvalidOperationException"/> when another team member holds it, <see cref="KeyNotFoundException"/> when it
    /// is not the tenant's or has ended.
    /// </summary>
    public async Task TakeOverAsync(Guid conversationId, Guid userId, string displayName, CancellationToken cancellationToken)
    {
        var name = string.IsNullOrWhiteSpace(displayName) ? "A team member" : displayName.Trim();
        name = name.Length > Conversation.StaffNameMaxLength ? name[..Conversation.StaffNameMaxLength] : name;
        presence.MarkTakenOver(conversationId, name);
        var now = timeProvider.GetUtcNow();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var taken = await db.Conversations
            .Where(c => c.Id == conversationId && c.EndedAt == null && (c.TakenOverAt == null || c.TakenOverByUserId == userId))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.TakenOverAt, now).SetProperty(c => c.TakenOverByUserId, userId)
                .SetProperty(c => c.TakenOverByName, name).SetProperty(c => c.HandoverRequestedAt, (DateTimeOffset?)null).SetProperty(c => c.UpdatedAt, now), cancellationToken);
        var control = await relay.ControlAsync(conversationId, cancellationToken);
        if (taken == 0)
        {
            if (control.TakenOverByUserId is not { } holder || holder != userId)
            {
                // Someone else holds it: the in-memory mark stays theirs.
                presence.MarkTakenOver(conversationId, control.TakenOverByName ?? name);
                throw control.TakenOverAt is null
                    ? new KeyNotFoundException("The conversation has ended.")
                    : new InvalidOperationException($"{control.TakenOverByName} is already handling this conversation.");
            }
        }

        var notice = $"{LiveChatService.FirstName(name)} from the team has joined.";
        await relay.AppendOrThrowAsync(conversationId, Speaker.Staff, notice, null, now, cancellationToken);
        await relay.PublishAsync(control, LiveChatEventKind.TakenOver, notice, LiveChatService.FirstName(name), cancellationToken);
        await relay.DeliverAsync(control, notice, cancellationToken);
    }

    /// <summary>
    /// A team member who holds the conversation writes <paramref name="text"/> (stored as a staff turn, shown to the visitor, or
    /// texted on SMS). Throws <see cref="InvalidOperationException"/> when <paramref name="userId"/> does not hold it,
    /// <see cref="ArgumentException"/> for empty or over-long text.
    /// </summary>
    public async Task WriteAsStaffAsync(Guid conversationId, Guid userId, string text, CancellationToken cancellationToken)
    {
        text = LiveChatService.ValidateText(text, Turn.TextMaxLength, nameof(text));
        var control = await relay.ControlAsync(conversationId, cancellationToken);
        if (control.TakenOverAt is null || control.TakenOverByUserId != userId)
        {
            throw new InvalidOperationException("Take the conversation over before writing in it.");
        }

        await relay.AppendOrThrowAsync(conversationId, Speaker.Staff, text, null, timeProvider.GetUtcNow(), cancellationToken);
        await relay.PublishAsync(control, LiveChatEventKind.StaffMessage, text, LiveChatService.FirstName(control.TakenOverByName), cancellationToken);
        await relay.DeliverAsync(control, text, cancellationToken);
    }

    /// <summary>The team member hands the conversation back: the agent answers the customer's next message. Throws <see cref="InvalidOperationException"/> when <paramref name="userId"/> does not hold it.</summary>
    public async Task HandBackAsync(Guid conversationId, Guid userId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var control = await relay.ControlAsync(conversationId, cancellationToken);
        var released = await db.Conversations.Where(c => c.Id == conversationId && c.TakenOverByUserId == userId && c.TakenOverAt != null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.TakenOverAt, (DateTimeOffset?)null).SetProperty(c => c.TakenOverByUserId, (Guid?)null)
                .SetProperty(c => c.UpdatedAt, timeProvider.GetUtcNow()), cancellationToken);
        if (released == 0)
        {
            throw new InvalidOperationException("Only the team member handling the conversation can hand it back.");
        }

        presence.MarkHandedBack(conversationId);
        var notice = $"{LiveChatService.FirstName(control.TakenOverByName)} handed the chat back to {control.AgentName}.";
        await relay.PublishAsync(control, LiveChatEventKind.HandedBack, notice, control.AgentName, cancellationToken);
    }
}
