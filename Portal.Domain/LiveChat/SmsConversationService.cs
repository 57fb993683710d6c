using Microsoft.EntityFrameworkCore;
using Npgsql;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Calls;
using Portal.Domain.Conversations;
using Portal.Domain.Tenancy;

namespace Portal.Domain.LiveChat;

/// <summary>An inbound text as Twilio's Messaging webhook posts it (https://www.twilio.com/docs/messaging/guides/webhook-request).</summary>
/// <param name="MessageSid">Twilio's message id (<c>SM…</c>).</param>
/// <param name="From">The customer's number, E.164.</param>
/// <param name="To">The business's Portal number, E.164.</param>
/// <param name="Body">The text.</param>
public sealed record InboundSmsMessage(string MessageSid, string From, string To, string Body);

/// <summary>What became of an inbound text.</summary>
public enum SmsHandling
{
    /// <summary>Added to a conversation; the agent (or nobody, during a takeover) replied.</summary>
    Conversation,
    /// <summary>A carrier keyword (STOP, START, HELP) was handled.</summary>
    Keyword,
    /// <summary>The sender opted out: stored nowhere, answered never.</summary>
    OptedOut,
    /// <summary>A retried webhook of a message already handled.</summary>
    Duplicate,
    /// <summary>No active business has this number.</summary>
    UnknownNumber,
}

/// <summary>
/// Text messages to a business's Portal number: carrier keywords (STOP/START/HELP, as the CTIA Messaging Principles and
/// Twilio's opt-out handling expect: https://www.twilio.com/docs/messaging/tutorials/advanced-opt-out), then one
/// conversation on <see cref="Channel.Sms"/> per customer number (resumed within <see cref="ThreadWindow"/>) through
/// <see cref="LiveChatService"/>, so the same engine answers and staff can take the thread over.
/// </summary>
public sealed class SmsConversationService(
    IDbContextFactory<PortalDbContext> contextFactory,
    CallRouter router,
    ConversationService conversations,
    LiveChatService liveChat,
    ISmsSender sms,
    ITenantContext tenantContext,
    TimeProvider timeProvider)
{
    /// <summary>A text within this long of the thread's last activity continues it; later ones start a new conversation.</summary>
    public static readonly TimeSpan ThreadWindow = TimeSpan.FromHours(24);

    /// <summary>Opt-out keywords (Twilio's defaults).</summary>
    public static readonly IReadOnlySet<string> StopWords = new HashSet<string>(StringComparer.Ordinal) { "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT" };

    /// <summary>Opt-in keywords (Twilio's defaults).</summary>
    public static readonly IReadOnlySet<string> StartWords = new HashSet<string>(StringComparer.Ordinal) { "START", "YES", "UNSTOP" };

    /// <summary>Help keywords (Twilio's defaults).</summary>
    public static readonly IReadOnlySet<string> HelpWords = new HashSet<string>(StringComparer.Ordinal) { "HELP", "INFO" };

    /// <summary>Handles one inbound text. Idempotent by <see cref="InboundSmsMessage.MessageSid"/>.</summary>
    public async Task<SmsHandling> ReceiveAsync(InboundSmsMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var route = await router.RouteAsync(message.To, cancellationToken);
        if (route.Kind != CallRouteKind.Answer)
        {
            return SmsHandling.UnknownNumber;
        }

        var tenantId = route.TenantId!.Value;
        tenantContext.SetTenant(tenantId);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var receipt = new InboundSms { TenantId = tenantId, MessageSid = message.MessageSid };
        db.InboundSms.Add(receipt);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return SmsHandling.Duplicate;
        }

        var keyword = message.Body.Trim().TrimEnd('.', '!').ToUpperInvariant();
        var business = await db.Tenants.Select(t => new { t.Name, t.Phone }).FirstAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        if (StopWords.Contains(keyword))
        {
            if (!await db.SmsOptOuts.AnyAsync(o => o.PhoneNumber == message.From, cancellationToken))
            {
                db.SmsOptOuts.Add(new SmsOptOut { TenantId = tenantId, PhoneNumber = message.From, OptedOutAt = now });
                await db.SaveChangesAsync(cancellationToken);
            }

            await sms.SendAsync(tenantId, message.To, message.From, $"You have been unsubscribed from {business.Name} messages. No more messages will be sent. Reply START to resubscribe.", cancellationToken);
            return SmsHandling.Keyword;
        }

        if (StartWords.Contains(keyword))
        {
            await db.SmsOptOuts.Where(o => o.PhoneNumber == message.From).ExecuteDeleteAsync(cancellationToken);
            await sms.SendAsync(tenantId, message.To, message.From, $"You have been resubscribed to {business.Name} messages. Reply HELP for help, STOP to unsubscribe.", cancellationToken);
            return SmsHandling.Keyword;
        }

        if (await db.SmsOptOuts.AnyAsync(o => o.PhoneNumber == message.From, cancellationToken))
        {
            return SmsHandling.OptedOut;
        }

        if (HelpWords.Contains(keyword))
        {
            var call = business.Phone is { Length: > 0 } phone ? $" or call {phone}" : "";
            await sms.SendAsync(tenantId, message.To, message.From, $"{business.Name}: text us your question{call}. Msg&data rates may apply. Reply STOP to unsubscribe.", cancellationToken);
            return SmsHandling.Keyword;
        }

        var since = now - ThreadWindow;
        var conversationId = await db.Conversations
            .Where(c => c.Channel == Channel.Sms && c.FromNumber == message.From && c.ToNumber == message.To && c.EndedAt == null && c.UpdatedAt >= since)
            .OrderByDescending(c => c.UpdatedAt).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(cancellationToken);
        if (conversationId is null)
        {
            var started = await conversations.StartAsync(Channel.Sms, message.From, cancellationToken);
            conversationId = started.ConversationId;
            await db.Conversations.Where(c => c.Id == started.ConversationId)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.FromNumber, message.From).SetProperty(c => c.ToNumber, message.To), cancellationToken);
        }

        await db.InboundSms.Where(m => m.Id == receipt.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.ConversationId, conversationId), cancellationToken);
        string? reply = null;
        await foreach (var item in liveChat.SendAsync(conversationId.Value, message.Body, cancellationToken))
        {
            if (item.Text is { } text)
            {
                reply = text;
            }
        }

        if (reply is not null)
        {
            foreach (var part in SmsSegments.Split(reply))
            {
                await sms.SendAsync(tenantId, message.To, message.From, part, cancellationToken);
            }
        }

        return SmsHandling.Conversation;
    }
}
