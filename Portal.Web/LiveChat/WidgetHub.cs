using Microsoft.AspNetCore.SignalR;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Conversations;
using Portal.Domain.LiveChat;
using Portal.Domain.Tenancy;

namespace Portal.Web.LiveChat;

/// <summary>A line of the chat as the widget receives it.</summary>
/// <param name="Speaker"><c>customer</c>, <c>agent</c> or <c>staff</c>.</param>
/// <param name="Name">Who wrote it.</param>
/// <param name="Text">Plain text; the widget renders it with <c>textContent</c>.</param>
/// <param name="At">When (UTC, ISO 8601).</param>
public sealed record WidgetLine(string Speaker, string Name, string Text, DateTimeOffset At)
{
    /// <summary>Maps a domain line.</summary>
    public static WidgetLine From(ChatLine line) => new(line.Speaker.ToString().ToLowerInvariant(), line.Name, line.Text, line.At);
}

/// <summary>What <see cref="WidgetHub.Start"/> returns.</summary>
/// <param name="Token">The visitor token to keep (new or the one sent).</param>
/// <param name="AgentName">The agent's name (header).</param>
/// <param name="BusinessName">The business's name.</param>
/// <param name="Colour"><c>#rrggbb</c>.</param>
/// <param name="TakenOverBy">First name of the team member in the chat, or null.</param>
/// <param name="Lines">The conversation so far.</param>
public sealed record WidgetStart(string Token, string AgentName, string BusinessName, string Colour, string? TakenOverBy, IReadOnlyList<WidgetLine> Lines);

/// <summary>A live event pushed to the widget (<c>message</c>): a team member's message, a takeover or hand-back notice, an agent notice.</summary>
/// <param name="Kind"><c>agent</c>, <c>staff</c>, <c>takenOver</c> or <c>handedBack</c>.</param>
/// <param name="Name">Who.</param>
/// <param name="Text">Plain text.</param>
public sealed record WidgetPush(string Kind, string? Name, string? Text);

/// <summary>
/// The website widget's SignalR hub at <see cref="WidgetEdge.HubPath"/> (WebSockets, or SignalR's long polling), reached
/// only through <see cref="WidgetEdge"/> (widget key and allowed origin checked). Client → server: <see cref="Start"/>,
/// <see cref="Send"/>, <see cref="TalkToPerson"/>. Server → client: <c>typing</c> (bool), <c>delta</c> (text chunk),
/// <c>restart</c>, <c>reply</c> (the whole reply, last), <c>message</c> (<see cref="WidgetPush"/>). Errors the visitor
/// should read are <see cref="HubException"/>s.
/// </summary>
public sealed class WidgetHub(WidgetDirectory directory, LiveChatService chat, WidgetRateLimits limits, ITenantContext tenantContext) : Hub
{
    private const string WidgetItem = "widget";
    private const string ConversationItem = "conversation";

    /// <summary>The SignalR group of a conversation's widget connections.</summary>
    public static string Group(Guid conversationId) => "conversation:" + conversationId.ToString("N");

    /// <inheritdoc />
    public override async Task OnConnectedAsync()
    {
        var http = Context.GetHttpContext();
        var widget = await directory.FindAsync(http?.Request.Query["agent"].ToString(), Context.ConnectionAborted);
        // The edge already refused these; checked again because a hub must never serve a request it did not see authorized.
        if (widget is null || http is null || !WidgetEdge.IsAllowed(widget, http.Request))
        {
            Context.Abort();
            return;
        }

        Context.Items[WidgetItem] = widget;
        await base.OnConnectedAsync();
    }

    /// <summary>Opens or resumes the visitor's chat (<paramref name="token"/> from the browser's storage, or null).</summary>
    public async Task<WidgetStart> Start(string? token)
    {
        var widget = Widget();
        var session = await chat.OpenAsync(widget, token, Context.ConnectionAborted);
        if (Context.Items.TryGetValue(ConversationItem, out var previous) && previous is Guid old && old != session.ConversationId)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, Group(old));
        }

        Context.Items[ConversationItem] = session.ConversationId;
        await Groups.AddToGroupAsync(Context.ConnectionId, Group(session.ConversationId));
        return new WidgetStart(session.VisitorToken, widget.AgentName, widget.BusinessName, widget.Colour, session.TakenOverBy,
            session.Lines.Select(WidgetLine.From).ToList());
    }

    /// <summary>
    /// The visitor writes <paramref name="text"/>: the agent's reply streams back as <c>typing</c>, <c>delta</c>s and
    /// <c>reply</c> (nothing while a team member holds the chat).
    /// </summary>
    public async Task Send(string text)
    {
        var conversationId = Conversation();
        var http = Context.GetHttpContext();
        if (!limits.TryMessage(conversationId.ToString("N"), http is null ? "unknown" : WidgetEdge.ClientIp(http)))
        {
            throw new HubException("You're sending messages too quickly. Please wait a moment and try again.");
        }

        var typing = false;
        try
        {
            await foreach (var item in chat.SendAsync(conversationId, text, Context.ConnectionAborted))
            {
                if (!typing)
                {
                    typing = true;
                    await Clients.Caller.SendAsync("typing", true);
                }

                if (item.Restart)
                {
                    await Clients.Caller.SendAsync("restart");
                }
                else if (item.Delta is { } delta)
                {
                    await Clients.Caller.SendAsync("delta", delta);
                }
                else if (item.Text is { } reply)
                {
                    await Clients.Caller.SendAsync("reply", reply);
                }
            }
        }
        catch (ConversationEndedException)
        {
            throw new HubException("This chat has ended. Reload the page to start a new one.");
        }
        catch (ArgumentException ex)
        {
            throw new HubException(ex.Message);
        }
        finally
        {
            if (typing)
            {
                await Clients.Caller.SendAsync("typing", false);
            }
        }
    }

    /// <summary>The visitor asks for a person; returns what the agent says (the team is notified, or nobody is available).</summary>
    public async Task<string> TalkToPerson()
    {
        var conversationId = Conversation();
        var http = Context.GetHttpContext();
        if (!limits.TryMessage(conversationId.ToString("N"), http is null ? "unknown" : WidgetEdge.ClientIp(http)))
        {
            throw new HubException("You're sending messages too quickly. Please wait a moment and try again.");
        }

        try
        {
            return await chat.RequestPersonAsync(conversationId, Context.ConnectionAborted);
        }
        catch (ConversationEndedException)
        {
            throw new HubException("This chat has ended. Reload the page to start a new one.");
        }
    }

    private WidgetInfo Widget()
    {
        var widget = Context.Items.TryGetValue(WidgetItem, out var w) && w is WidgetInfo info ? info : throw new HubException("Not connected to a widget.");
        tenantContext.SetTenant(widget.TenantId);
        return widget;
    }

    private Guid Conversation()
    {
        _ = Widget();
        return Context.Items.TryGetValue(ConversationItem, out var c) && c is Guid id ? id : throw new HubException("Call Start first.");
    }
}

/// <summary>Publishes live-chat events to the visitor's widget (its SignalR group) and to the staff Inbox (<see cref="InboxFeed"/>).</summary>
public sealed class LiveChatNotifier(IHubContext<WidgetHub> hub, InboxFeed feed, ILogger<LiveChatNotifier> logger) : ILiveChatNotifier
{
    /// <inheritdoc />
    public async Task PublishAsync(LiveChatEvent liveEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(liveEvent);
        feed.Publish(liveEvent);
        var kind = liveEvent.Kind switch
        {
            LiveChatEventKind.AgentMessage when !liveEvent.Direct => "agent",
            LiveChatEventKind.StaffMessage => "staff",
            LiveChatEventKind.TakenOver => "takenOver",
            LiveChatEventKind.HandedBack => "handedBack",
            _ => null,
        };
        if (kind is null || liveEvent.Channel != Channel.WebChat)
        {
            return;
        }

        try
        {
            await hub.Clients.Group(WidgetHub.Group(liveEvent.ConversationId)).SendAsync("message", new WidgetPush(kind, liveEvent.Name, liveEvent.Text), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The turn is stored; the visitor sees it on their next page load.
            logger.LogWarning(ex, "Live event {Kind} of {ConversationId} not pushed to the widget", liveEvent.Kind, liveEvent.ConversationId);
        }
    }
}
