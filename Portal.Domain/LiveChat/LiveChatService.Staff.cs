using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Conversations;

namespace Portal.Domain.LiveChat;

/// <summary>A conversation's live state: who holds it, whether a person was asked for, and where replies go.</summary>
internal sealed record LiveControl(Guid TenantId, Guid ConversationId, Channel Channel, DateTimeOffset? TakenOverAt, Guid? TakenOverByUserId,
    string? TakenOverByName, DateTimeOffset? HandoverRequestedAt, string AgentName, string? CustomerPhone, string? BusinessNumber);

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

/// <summary>Team actions and the hand-over path.</summary>
public sealed partial class LiveChatService
{
    /// <summary>Said while the team is being asked to join.</summary>
    public const string WaitingNotice = "I've let the team know you'd like to talk to a person. Someone will join this chat shortly.";

    /// <summary>Said when nobody joined in time: never a dead end.</summary>
    public const string NoOneAvailableNotice = "I'm sorry, nobody from the team is available right now. I can book an appointment for you, or take a message with your callback number so someone gets back to you.";

    /// <summary>Said out of business hours.</summary>
    public const string OutOfHoursNotice = "The team is away right now (we're outside business hours). I can book an appointment for you, or take a message with your callback number so someone gets back to you.";

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
        var control = await ControlAsync(conversationId, cancellationToken);
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

        var notice = $"{FirstName(name)} from the team has joined.";
        await AppendOrThrowAsync(conversationId, Speaker.Staff, notice, null, now, cancellationToken);
        await PublishAsync(control, LiveChatEventKind.TakenOver, notice, FirstName(name), cancellationToken);
        await DeliverAsync(control, notice, cancellationToken);
    }

    /// <summary>
    /// A team member who holds the conversation writes <paramref name="text"/> (stored as a staff turn, shown to the visitor, or
    /// texted on SMS). Throws <see cref="InvalidOperationException"/> when <paramref name="userId"/> does not hold it,
    /// <see cref="ArgumentException"/> for empty or over-long text.
    /// </summary>
    public async Task WriteAsStaffAsync(Guid conversationId, Guid userId, string text, CancellationToken cancellationToken)
    {
        text = ValidateText(text, Turn.TextMaxLength, nameof(text));
        var control = await ControlAsync(conversationId, cancellationToken);
        if (control.TakenOverAt is null || control.TakenOverByUserId != userId)
        {
            throw new InvalidOperationException("Take the conversation over before writing in it.");
        }

        await AppendOrThrowAsync(conversationId, Speaker.Staff, text, null, timeProvider.GetUtcNow(), cancellationToken);
        await PublishAsync(control, LiveChatEventKind.StaffMessage, text, FirstName(control.TakenOverByName), cancellationToken);
        await DeliverAsync(control, text, cancellationToken);
    }

    /// <summary>The team member hands the conversation back: the agent answers the customer's next message. Throws <see cref="InvalidOperationException"/> when <paramref name="userId"/> does not hold it.</summary>
    public async Task HandBackAsync(Guid conversationId, Guid userId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var control = await ControlAsync(conversationId, cancellationToken);
        var released = await db.Conversations.Where(c => c.Id == conversationId && c.TakenOverByUserId == userId && c.TakenOverAt != null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.TakenOverAt, (DateTimeOffset?)null).SetProperty(c => c.TakenOverByUserId, (Guid?)null)
                .SetProperty(c => c.UpdatedAt, timeProvider.GetUtcNow()), cancellationToken);
        if (released == 0)
        {
            throw new InvalidOperationException("Only the team member handling the conversation can hand it back.");
        }

        presence.MarkHandedBack(conversationId);
        var notice = $"{FirstName(control.TakenOverByName)} handed the chat back to {control.AgentName}.";
        await PublishAsync(control, LiveChatEventKind.HandedBack, notice, control.AgentName, cancellationToken);
    }

    /// <summary>
    /// Asks for a person: out of hours the agent says so at once and offers a booking or a message; in hours the team is
    /// notified (in the app and by email) and a timer gives them the widget's wait time before the agent says nobody is
    /// available. Returns the agent's notice (stored as an agent turn), or null when <paramref name="announce"/> is false and
    /// the team was notified.
    /// </summary>
    private async Task<string?> RequestHumanAsync(Guid conversationId, bool announce, CancellationToken cancellationToken)
    {
        var control = await ControlAsync(conversationId, cancellationToken);
        var profile = await profiles.GetAsync(control.TenantId, cancellationToken);
        var now = timeProvider.GetUtcNow();
        var local = profile.ToLocal(now);
        var time = TimeOnly.FromDateTime(local);
        var open = profile.IntervalsOn(DateOnly.FromDateTime(local)).Any(i => i.Opens <= time && time < i.Closes);
        if (!open)
        {
            // Announced: the caller streams it to the customer; otherwise it follows the engine's reply as its own message.
            await SayAsync(control, OutOfHoursNotice, direct: announce, cancellationToken);
            return OutOfHoursNotice;
        }

        // Microsecond precision, as PostgreSQL stores it, so the timer can compare it back.
        var requestedAt = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % 10), TimeSpan.Zero);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await db.Conversations.Where(c => c.Id == conversationId && c.TakenOverAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.HandoverRequestedAt, requestedAt), cancellationToken);
        await PublishAsync(control, LiveChatEventKind.HandoverRequested, "The customer asked for a person.", null, cancellationToken);
        var wait = await db.ChatWidgets.Select(w => (int?)w.HandoverWaitSeconds).FirstOrDefaultAsync(cancellationToken) ?? 120;
        await NotifyTeamAsync(control, wait, cancellationToken);
        handoverTimer.Schedule(control.TenantId, conversationId, requestedAt, TimeSpan.FromSeconds(wait));
        if (!announce)
        {
            return null;
        }

        await SayAsync(control, WaitingNotice, direct: true, cancellationToken);
        return WaitingNotice;
    }

    /// <summary>
    /// Runs when a hand-over's wait is over: when the same request is still open and nobody took the conversation, clears it
    /// and the agent says nobody is available (a booking or a message instead). Returns true when it spoke.
    /// </summary>
    public async Task<bool> HandoverTimedOutAsync(Guid conversationId, DateTimeOffset requestedAt, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var cleared = await db.Conversations
            .Where(c => c.Id == conversationId && c.HandoverRequestedAt == requestedAt && c.TakenOverAt == null && c.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.HandoverRequestedAt, (DateTimeOffset?)null), cancellationToken);
        if (cleared == 0)
        {
            return false;
        }

        await SayAsync(await ControlAsync(conversationId, cancellationToken), NoOneAvailableNotice, direct: false, cancellationToken);
        return true;
    }

    /// <summary>
    /// Tells the team a customer asks for a person, as Settings → Notifications says for
    /// <see cref="NotificationEvent.HandoverRequested"/> (by default every member by email): email and, to members who chose
    /// it, SMS (written to the outbox like every team notice, <see cref="Notifications.PlatformNotifier"/>'s included).
    /// </summary>
    private async Task NotifyTeamAsync(LiveControl control, int waitSeconds, CancellationToken cancellationToken)
    {
        var targets = await notificationSettings.TargetsAsync(control.TenantId, NotificationEvent.HandoverRequested, cancellationToken);
        var channel = control.Channel == Channel.Sms ? $"a text conversation with {control.CustomerPhone}" : "a website chat";
        foreach (var email in targets.Emails)
        {
            await outbox.SendEmailAsync(email, "A customer is asking for a person",
                $"A customer in {channel} asked to talk to a person. Open the Inbox in Portal to take the conversation over. "
                + $"If nobody joins within {waitSeconds} seconds, {control.AgentName} will offer to book an appointment or take a message.",
                HandoverEmailCategory, control.TenantId, cancellationToken);
        }

        var text = $"Portal: a customer in {channel} asks for a person. Open the Inbox within {waitSeconds} s to take over.";
        foreach (var phone in targets.Phones)
        {
            await outbox.SendSmsAsync(phone, text, HandoverEmailCategory, control.TenantId, cancellationToken);
        }
    }

    /// <summary>Stores and publishes an agent notice; unless <paramref name="direct"/> (the caller hands it to the customer in its reply), also delivers it (SMS) and the widget shows it as a message.</summary>
    private async Task SayAsync(LiveControl control, string text, bool direct, CancellationToken cancellationToken)
    {
        await AppendOrThrowAsync(control.ConversationId, Speaker.Agent, text, null, timeProvider.GetUtcNow(), cancellationToken);
        await PublishAsync(control, LiveChatEventKind.AgentMessage, text, control.AgentName, cancellationToken, direct);
        if (!direct)
        {
            await DeliverAsync(control, text, cancellationToken);
        }
    }

    /// <summary>SMS conversations get every message the customer must see by text; the widget gets them through the notifier.</summary>
    private async Task DeliverAsync(LiveControl control, string text, CancellationToken cancellationToken)
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

    private async Task AppendOrThrowAsync(Guid conversationId, Speaker speaker, string text, string? intent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!await store.AppendAsync(TenantId, conversationId, speaker, text, intent, now, cancellationToken))
        {
            throw new ConversationEndedException();
        }
    }

    private Task PublishAsync(LiveControl control, LiveChatEventKind kind, string? text, string? name, CancellationToken cancellationToken, bool direct = false) =>
        notifier.PublishAsync(new LiveChatEvent(control.TenantId, control.ConversationId, control.Channel, kind, text, name, timeProvider.GetUtcNow()) { Direct = direct }, cancellationToken);

    private async Task<LiveControl> ControlAsync(Guid conversationId, CancellationToken cancellationToken)
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

    private static async Task<IReadOnlyList<ChatLine>> LinesAsync(PortalDbContext db, Conversation conversation, string agentName, CancellationToken cancellationToken)
    {
        var staff = FirstName(conversation.TakenOverByName);
        return (await db.Turns.AsNoTracking().Where(t => t.ConversationId == conversation.Id).OrderBy(t => t.Sequence)
                .Select(t => new { t.Speaker, t.Text, t.CompletedAt }).ToListAsync(cancellationToken))
            .Select(t => new ChatLine(t.Speaker, t.Speaker switch { Speaker.Agent => agentName, Speaker.Staff => staff, _ => "You" }, t.Text, t.CompletedAt))
            .ToList();
    }
}
