using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Conversations;

namespace Portal.Domain.LiveChat;

/// <summary>
/// The hand-over path when a customer asks for a person: notify the team and wait, or say nobody is available (out of
/// hours, or when nobody joined in time) and offer a booking or a message instead. Works for the current tenant.
/// </summary>
public sealed class ChatHandover(
    IDbContextFactory<PortalDbContext> contextFactory,
    LiveChatRelay relay,
    HandoverTimer handoverTimer,
    Notifications.IOutbox outbox,
    Notifications.NotificationSettings notificationSettings,
    BusinessProfileCache profiles,
    TimeProvider timeProvider)
{
    /// <summary>Outbox category of hand-over notices to the team (email and SMS).</summary>
    public const string HandoverEmailCategory = "chat.handover";

    /// <summary>Said while the team is being asked to join.</summary>
    public const string WaitingNotice = "I've let the team know you'd like to talk to a person. Someone will join this chat shortly.";

    /// <summary>Said when nobody joined in time: never a dead end.</summary>
    public const string NoOneAvailableNotice = "I'm sorry, nobody from the team is available right now. I can book an appointment for you, or take a message with your callback number so someone gets back to you.";

    /// <summary>Said out of business hours.</summary>
    public const string OutOfHoursNotice = "The team is away right now (we're outside business hours). I can book an appointment for you, or take a message with your callback number so someone gets back to you.";

    /// <summary>
    /// Asks for a person: out of hours the agent says so at once and offers a booking or a message; in hours the team is
    /// notified (in the app and by email) and a timer gives them the widget's wait time before the agent says nobody is
    /// available. Returns the agent's notice (stored as an agent turn), or null when <paramref name="announce"/> is false and
    /// the team was notified.
    /// </summary>
    internal async Task<string?> RequestHumanAsync(Guid conversationId, bool announce, CancellationToken cancellationToken)
    {
        var control = await relay.ControlAsync(conversationId, cancellationToken);
        var profile = await profiles.GetAsync(control.TenantId, cancellationToken);
        var now = timeProvider.GetUtcNow();
        var local = profile.ToLocal(now);
        var time = TimeOnly.FromDateTime(local);
        var open = profile.IntervalsOn(DateOnly.FromDateTime(local)).Any(i => i.Opens <= time && time < i.Closes);
        if (!open)
        {
            // Announced: the caller streams it to the customer; otherwise it follows the engine's reply as its own message.
            await relay.SayAsync(control, OutOfHoursNotice, direct: announce, cancellationToken);
            return OutOfHoursNotice;
        }

        // Microsecond precision, as PostgreSQL stores it, so the timer can compare it back.
        var requestedAt = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % 10), TimeSpan.Zero);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await db.Conversations.Where(c => c.Id == conversationId && c.TakenOverAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.HandoverRequestedAt, requestedAt), cancellationToken);
        await relay.PublishAsync(control, LiveChatEventKind.HandoverRequested, "The customer asked for a person.", null, cancellationToken);
        var wait = await db.ChatWidgets.Select(w => (int?)w.HandoverWaitSeconds).FirstOrDefaultAsync(cancellationToken) ?? 120;
        await NotifyTeamAsync(control, wait, cancellationToken);
        handoverTimer.Schedule(control.TenantId, conversationId, requestedAt, TimeSpan.FromSeconds(wait));
        if (!announce)
        {
            return null;
        }

        await relay.SayAsync(control, WaitingNotice, direct: true, cancellationToken);
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

        await relay.SayAsync(await relay.ControlAsync(conversationId, cancellationToken), NoOneAvailableNotice, direct: false, cancellationToken);
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
}
