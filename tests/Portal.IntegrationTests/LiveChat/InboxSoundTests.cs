using Portal.Data.Entities;
using Portal.Domain.LiveChat;
using Portal.Web.Components.Pages.Inbox;

namespace Portal.IntegrationTests.LiveChat;

/// <summary>When the Inbox plays its new-message sound (the sound itself is Web Audio in app.js).</summary>
public sealed class InboxSoundTests
{
    private static readonly Guid Watched = Guid.CreateVersion7();
    private static readonly Guid Elsewhere = Guid.CreateVersion7();

    private static LiveChatEvent Event(Guid conversation, LiveChatEventKind kind) =>
        new(Guid.CreateVersion7(), conversation, Channel.WebChat, kind, "hi", null, DateTimeOffset.UnixEpoch);

    [Theory]
    [InlineData(LiveChatEventKind.CustomerMessage, false, true)]
    [InlineData(LiveChatEventKind.CustomerMessage, true, false)]
    [InlineData(LiveChatEventKind.HandoverRequested, true, true)]
    [InlineData(LiveChatEventKind.HandoverRequested, false, true)]
    [InlineData(LiveChatEventKind.AgentMessage, false, false)]
    [InlineData(LiveChatEventKind.StaffMessage, false, false)]
    [InlineData(LiveChatEventKind.Viewers, false, false)]
    public void Chime_ForACustomerElsewhere_OrAnyHandoverRequest_Only(LiveChatEventKind kind, bool inTheWatchedConversation, bool chimes) =>
        Assert.Equal(chimes, Inbox.ShouldChime(Event(inTheWatchedConversation ? Watched : Elsewhere, kind), Watched));
}
