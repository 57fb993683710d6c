using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Conversations;
using Portal.Domain.Conversations.Understanding;
using Portal.Domain.Tenancy;

namespace Portal.Domain.LiveChat;

/// <summary>A line of a chat as the widget and the Inbox show it.</summary>
/// <param name="Speaker">Who wrote it.</param>
/// <param name="Name">The agent's name, the team member's, or "You"/the customer's label.</param>
/// <param name="Text">Plain text (always rendered as text).</param>
/// <param name="At">When (UTC).</param>
public sealed record ChatLine(Speaker Speaker, string Name, string Text, DateTimeOffset At);

/// <summary>A widget visitor's chat, opened or resumed.</summary>
/// <param name="VisitorToken">The token the browser keeps (new, or the one it sent).</param>
/// <param name="ConversationId">The web-chat conversation.</param>
/// <param name="Lines">The conversation so far.</param>
/// <param name="TakenOverBy">First name of the team member holding the chat, or null.</param>
/// <param name="Resumed">True when an existing conversation was resumed.</param>
public sealed record WidgetSession(string VisitorToken, Guid ConversationId, IReadOnlyList<ChatLine> Lines, string? TakenOverBy, bool Resumed);

/// <summary>One item of the agent's streamed reply to a customer: a text chunk, a restart, or the whole reply (last).</summary>
/// <param name="Delta">A chunk (a word and its trailing space) to append, or null.</param>
/// <param name="Restart">True when the chunks so far must be discarded.</param>
/// <param name="Text">The whole reply, on the last item only.</param>
public readonly record struct LiveReply(string? Delta, bool Restart, string? Text);

/// <summary>
/// The customer's side of live conversations on the website widget and by SMS, on the same <see cref="ConversationService"/>
/// and engines as calls: open or resume a chat, read it, write in it (the agent answers, streamed, unless a team member holds
/// it), and ask for a person (<see cref="ChatHandover"/>). The team's side is <see cref="LiveChatStaffService"/>. Every method
/// works for the current tenant.
/// </summary>
public sealed class LiveChatService(
    IDbContextFactory<PortalDbContext> contextFactory,
    ConversationService conversations,
    LiveChatRelay relay,
    ChatHandover handover,
    StaffPresence presence,
    ILiveChatNotifier notifier,
    ITenantContext tenantContext,
    TimeProvider timeProvider)
{
    /// <summary>Minimum intent confidence for "talk to a person" to start a hand-over instead of an engine turn.</summary>
    public const double HumanIntentThreshold = 0.8;

    /// <summary>
    /// Opens the visitor's chat on <paramref name="widget"/>: resumes the conversation of <paramref name="visitorToken"/> when
    /// it belongs to this widget and is still open, else starts a web-chat conversation (greeting stored) under a new token.
    /// Sets the current tenant to the widget's.
    /// </summary>
    public async Task<WidgetSession> OpenAsync(WidgetInfo widget, string? visitorToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(widget);
        tenantContext.SetTenant(widget.TenantId);
        var now = timeProvider.GetUtcNow();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        WidgetVisitor? visitor = null;
        if (VisitorTokens.IsWellFormed(visitorToken))
        {
            var hash = VisitorTokens.Hash(visitorToken!);
            visitor = await db.WidgetVisitors.FirstOrDefaultAsync(v => v.TokenHash == hash && v.ChatWidgetId == widget.WidgetId, cancellationToken);
        }

        var token = visitor is null ? VisitorTokens.New() : visitorToken!;
        if (visitor is null)
        {
            visitor = new WidgetVisitor { TenantId = widget.TenantId, ChatWidgetId = widget.WidgetId, TokenHash = VisitorTokens.Hash(token) };
            db.WidgetVisitors.Add(visitor);
        }

        var conversation = visitor.ConversationId is { } id
            ? await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id && c.EndedAt == null && c.Channel == Channel.WebChat, cancellationToken)
            : null;
        var resumed = conversation is not null;
        if (conversation is null)
        {
            var started = await conversations.StartAsync(Channel.WebChat, null, cancellationToken);
            visitor.ConversationId = started.ConversationId;
            conversation = await db.Conversations.AsNoTracking().FirstAsync(c => c.Id == started.ConversationId, cancellationToken);
            await notifier.PublishAsync(new LiveChatEvent(widget.TenantId, started.ConversationId, Channel.WebChat, LiveChatEventKind.Started, started.Greeting, widget.AgentName, now), cancellationToken);
        }

        visitor.LastSeenAt = now;
        await db.SaveChangesAsync(cancellationToken);
        var lines = await LinesAsync(db, conversation, widget.AgentName, cancellationToken);
        return new WidgetSession(token, conversation.Id, lines, FirstName(conversation.TakenOverAt is null ? null : conversation.TakenOverByName), resumed);
    }

    /// <summary>The conversation's lines, oldest first. Throws <see cref="KeyNotFoundException"/> when it is not the tenant's.</summary>
    public async Task<IReadOnlyList<ChatLine>> TranscriptAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var conversation = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == conversationId, cancellationToken)
            ?? throw new KeyNotFoundException("Conversation not found.");
        var agentName = await db.AgentPersonas.Where(a => a.Id == conversation.AgentPersonaId).Select(a => a.Name).FirstOrDefaultAsync(cancellationToken) ?? "Agent";
        return await LinesAsync(db, conversation, agentName, cancellationToken);
    }

    /// <summary>
    /// The customer writes <paramref name="text"/>. While a person holds the conversation the message is stored and relayed
    /// and the agent says nothing; "talk to a person" starts a hand-over; otherwise the engine answers, streamed as word chunks
    /// (a takeover during the reply stops the stream at once). Throws <see cref="ArgumentException"/> for empty, over-long or
    /// control-character text, <see cref="KeyNotFoundException"/> for another tenant's conversation,
    /// <see cref="ConversationEndedException"/> when it has ended (on the first move).
    /// </summary>
    public async IAsyncEnumerable<LiveReply> SendAsync(Guid conversationId, string text, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        text = ValidateText(text, ConversationService.MaxUtteranceLength, nameof(text));
        var control = await relay.ControlAsync(conversationId, cancellationToken);
        var now = timeProvider.GetUtcNow();
        if (control.TakenOverAt is not null)
        {
            await relay.AppendOrThrowAsync(conversationId, Speaker.Customer, text, null, now, cancellationToken);
            await relay.PublishAsync(control, LiveChatEventKind.CustomerMessage, text, null, cancellationToken);
            yield break;
        }

        var intent = IntentClassifier.Classify(text);
        if (intent.Intent == Intent.Human && intent.Confidence >= HumanIntentThreshold)
        {
            await relay.AppendOrThrowAsync(conversationId, Speaker.Customer, text, Intent.Human.ToString(), now, cancellationToken);
            await relay.PublishAsync(control, LiveChatEventKind.CustomerMessage, text, null, cancellationToken);
            var notice = await handover.RequestHumanAsync(conversationId, announce: true, cancellationToken);
            foreach (var chunk in Chunks(notice!))
            {
                yield return new LiveReply(chunk, false, null);
            }

            yield return new LiveReply(null, false, notice);
            yield break;
        }

        await relay.PublishAsync(control, LiveChatEventKind.CustomerMessage, text, null, cancellationToken);
        TurnResult? result = null;
        var silenced = false;
        await foreach (var item in conversations.StreamTurnAsync(conversationId, text, cancellationToken))
        {
            if (item.Result is { } done)
            {
                result = done;
            }
            else if (item.Restart && !silenced)
            {
                yield return new LiveReply(null, true, null);
            }
            else if (item.Delta is { } delta && !silenced)
            {
                foreach (var chunk in Chunks(delta))
                {
                    if (presence.IsTakenOver(conversationId))
                    {
                        silenced = true;
                        break;
                    }

                    yield return new LiveReply(chunk, false, null);
                }
            }
        }

        if (result is null || silenced || presence.IsTakenOver(conversationId))
        {
            yield break;
        }

        await relay.PublishAsync(control, LiveChatEventKind.AgentMessage, result.Reply, control.AgentName, cancellationToken, direct: true);
        yield return new LiveReply(null, false, result.Reply);
        if (result.Actions.Any(a => a.Kind == AgentActionKind.TransferRequested))
        {
            // The engine's own hand-over intent: it has already told the customer; the team is notified (or the no-one path runs).
            await handover.RequestHumanAsync(conversationId, announce: false, cancellationToken);
        }
    }

    /// <summary>The visitor pressed "Talk to a person": starts a hand-over and returns what the agent says.</summary>
    public async Task<string> RequestPersonAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        var control = await relay.ControlAsync(conversationId, cancellationToken);
        if (control.TakenOverAt is not null)
        {
            return $"{FirstName(control.TakenOverByName)} from the team is already here.";
        }

        return (await handover.RequestHumanAsync(conversationId, announce: true, cancellationToken))!;
    }

    /// <summary>Trims <paramref name="text"/>; throws <see cref="ArgumentException"/> when it is empty, has control characters or is longer than <paramref name="maxLength"/>.</summary>
    internal static string ValidateText(string? text, int maxLength, string parameterName)
    {
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length == 0)
        {
            throw new ArgumentException("The message is empty.", parameterName);
        }

        Portal.Data.Text.InputText.EnsureNoControlCharacters(trimmed, "your message", parameterName);
        if (trimmed.Length > maxLength)
        {
            throw new ArgumentException($"The message is longer than {maxLength} characters.", parameterName);
        }

        return trimmed;
    }

    /// <summary>Splits text into chunks of one word each, the spaces kept, for streaming.</summary>
    internal static IEnumerable<string> Chunks(string text)
    {
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || (text[i] != ' ' && text[i - 1] == ' '))
            {
                yield return text[start..i];
                start = i;
            }
        }
    }

    internal static string FirstName(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "Someone" : name.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];

    private static async Task<IReadOnlyList<ChatLine>> LinesAsync(PortalDbContext db, Conversation conversation, string agentName, CancellationToken cancellationToken)
    {
        var staff = FirstName(conversation.TakenOverByName);
        return (await db.Turns.AsNoTracking().Where(t => t.ConversationId == conversation.Id).OrderBy(t => t.Sequence)
                .Select(t => new { t.Speaker, t.Text, t.CompletedAt }).ToListAsync(cancellationToken))
            .Select(t => new ChatLine(t.Speaker, t.Speaker switch { Speaker.Agent => agentName, Speaker.Staff => staff, _ => "You" }, t.Text, t.CompletedAt))
            .ToList();
    }
}
