using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Audit;
using Portal.Domain.LiveChat;
using Portal.Domain.Tenancy;
using Portal.Web.LiveChat;
using Portal.Web.Tenancy;

namespace Portal.Web.Components.Pages.Inbox;

/// <summary>
/// The staff Inbox: live and recent website chats and SMS threads, updated in real time from <see cref="InboxFeed"/>
/// (new-message badges and a sound, who is viewing), with take over, write and hand back. The sound
/// (<c>portal.inboxSound</c> in app.js, Web Audio) plays when a customer writes in a conversation this member is not looking
/// at, or when any customer asks for a person, unless muted (the choice is kept in the browser's localStorage).
/// </summary>
public partial class Inbox : IDisposable
{
    private readonly string _viewerKey = Guid.NewGuid().ToString("N");
    private readonly Dictionary<Guid, int> _unread = [];
    private List<InboxRow> _rows = [];
    private List<ChatLine> _lines = [];
    private IReadOnlyList<string> _viewers = [];
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;
    private Guid _selected;
    private Guid? _tenantId;
    private Guid _userId;
    private string _myName = "";
    private string? _draft;
    private string? _draftError;
    private string? _error;
    private bool _loading = true;
    private bool _busy;
    private bool _muted;

    [Inject] private LiveChatService Chat { get; set; } = default!;
    [Inject] private LiveChatStaffService Staff { get; set; } = default!;

    [Inject] private InboxFeed Feed { get; set; } = default!;

    [Inject] private StaffPresence Presence { get; set; } = default!;

    [Inject] private ILiveChatNotifier Notifier { get; set; } = default!;

    [Inject] private ITenantContext Tenant { get; set; } = default!;

    [Inject] private ICurrentUser CurrentUser { get; set; } = default!;

    [Inject] private TenantClock Zones { get; set; } = default!;

    [Inject] private IJSRuntime Js { get; set; } = default!;

    private InboxRow? Current => _rows.FirstOrDefault(r => r.ConversationId == _selected);

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        _tenantId = Tenant.TenantId;
        try
        {
            _zone = await Zones.ZoneAsync();
            if (await CurrentUser.GetAsync(CancellationToken.None) is { } me)
            {
                _userId = me.UserId;
                _myName = await Staff.StaffNameAsync(me.UserId, CancellationToken.None);
            }

            _rows = [.. await Staff.ListInboxAsync(7, 200, CancellationToken.None)];
        }
        catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException)
        {
            _error = ex.Message;
        }

        _loading = false;
        Feed.Received += OnFeed;
    }

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _muted = await SoundAsync<bool>("portal.inboxSound.isMuted", false);
            StateHasChanged();
        }
    }

    private async Task ToggleSoundAsync() => _muted = await SoundAsync("portal.inboxSound.setMuted", !_muted, !_muted);

    /// <summary>Calls the browser's sound helper; a circuit whose browser went away, or a page without app.js, gets <paramref name="fallback"/>.</summary>
    private async Task<T> SoundAsync<T>(string function, T fallback, params object?[] args)
    {
        try
        {
            return await Js.InvokeAsync<T>(function, args);
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or TaskCanceledException or InvalidOperationException)
        {
            return fallback;
        }
    }

    private async Task SelectAsync(Guid id)
    {
        if (_selected != Guid.Empty && _selected != id)
        {
            await PublishViewersAsync(_selected, Presence.StopViewing(_selected, _viewerKey));
        }

        _selected = id;
        _unread.Remove(id);
        _draftError = null;
        await RunAsync(async () =>
        {
            _lines = [.. await Chat.TranscriptAsync(id, CancellationToken.None)];
            _viewers = Presence.StartViewing(id, _viewerKey, _myName);
            await PublishViewersAsync(id, _viewers);
        });
    }

    private Task TakeOverAsync() => RunAsync(() => Staff.TakeOverAsync(_selected, _userId, _myName, CancellationToken.None));

    private Task HandBackAsync() => RunAsync(() => Staff.HandBackAsync(_selected, _userId, CancellationToken.None));

    private async Task SendAsync()
    {
        if (string.IsNullOrWhiteSpace(_draft))
        {
            _draftError = "Write a reply first.";
            return;
        }

        _draftError = null;
        var text = _draft;
        await RunAsync(async () =>
        {
            try
            {
                await Staff.WriteAsStaffAsync(_selected, _userId, text, CancellationToken.None);
                _draft = null;
            }
            catch (ArgumentException ex)
            {
                _draftError = ex.Message;
            }
        });
    }

    private async Task RunAsync(Func<Task> action)
    {
        _busy = true;
        _error = null;
        try
        {
            await action();
            await ReloadAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException)
        {
            _error = ex.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task ReloadAsync()
    {
        _rows = [.. await Staff.ListInboxAsync(7, 200, CancellationToken.None)];
        if (_selected != Guid.Empty)
        {
            _lines = [.. await Chat.TranscriptAsync(_selected, CancellationToken.None)];
        }
    }

    private Task PublishViewersAsync(Guid conversationId, IReadOnlyList<string> viewers)
    {
        var row = _rows.FirstOrDefault(r => r.ConversationId == conversationId);
        return _tenantId is { } tenant && row is not null
            ? Notifier.PublishAsync(new LiveChatEvent(tenant, conversationId, row.Channel, LiveChatEventKind.Viewers, string.Join(", ", viewers), null, DateTimeOffset.UtcNow), CancellationToken.None)
            : Task.CompletedTask;
    }

    private void OnFeed(LiveChatEvent e)
    {
        if (e.TenantId != _tenantId)
        {
            return;
        }

        _ = InvokeAsync(async () =>
        {
            if (e.Kind == LiveChatEventKind.Viewers)
            {
                if (e.ConversationId == _selected)
                {
                    _viewers = Presence.Viewers(_selected);
                    StateHasChanged();
                }

                return;
            }

            if (e.ConversationId != _selected && e.Kind is LiveChatEventKind.CustomerMessage or LiveChatEventKind.Started or LiveChatEventKind.HandoverRequested)
            {
                _unread[e.ConversationId] = _unread.GetValueOrDefault(e.ConversationId) + 1;
            }

            if (ShouldChime(e, _selected) && !_muted)
            {
                await SoundAsync("portal.inboxSound.play", false);
            }

            try
            {
                await ReloadAsync();
            }
            catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException)
            {
                _error = ex.Message;
            }

            StateHasChanged();
        });
    }

    /// <summary>Whether <paramref name="e"/> deserves the new-message sound for someone looking at <paramref name="selected"/>:
    /// a customer's message elsewhere, or a request for a person anywhere.</summary>
    internal static bool ShouldChime(LiveChatEvent e, Guid selected) =>
        e.Kind == LiveChatEventKind.HandoverRequested || (e.Kind == LiveChatEventKind.CustomerMessage && e.ConversationId != selected);

    private static string LineClass(ChatLine line) => line.Speaker switch
    {
        Speaker.Customer => "pa-2 mud-theme-primary align-self-end",
        Speaker.Staff => "pa-2 mud-border-secondary border-solid border-2 align-self-start",
        _ => "pa-2 align-self-start",
    };

    /// <inheritdoc />
    public void Dispose()
    {
        Feed.Received -= OnFeed;
        if (_selected != Guid.Empty)
        {
            var viewers = Presence.StopViewing(_selected, _viewerKey);
            _ = PublishViewersAsync(_selected, viewers);
        }

        GC.SuppressFinalize(this);
    }
}
