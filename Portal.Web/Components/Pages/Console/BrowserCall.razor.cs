using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace Portal.Web.Components.Pages.Console;

/// <summary>
/// "Call your agent" on the console page: the owner talks to their agent through the microphone, over the
/// <c>/api/v1/browser-call</c> WebSocket into the phone pipeline, hears it answer and sees the live transcript.
/// Audio runs entirely in the browser (<c>wwwroot/js/browser-call.js</c>); the module reports state and transcript
/// lines back through the <see cref="JSInvokableAttribute"/> methods below.
/// </summary>
public partial class BrowserCall
{
    private static readonly string[] Digits = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"];

    private readonly List<Line> _lines = [];
    private IJSObjectReference? _module;
    private DotNetObjectReference<BrowserCall>? _self;
    private ElementReference _window;
    private CallState _state = CallState.Idle;
    private Guid? _conversationId;
    private string? _speechToText;
    private string? _interim;
    private string? _error;
    private string? _endReason;

    private enum CallState
    {
        Idle,
        Connecting,
        Live,
        Ended,
    }

    private string StateLabel => _state switch
    {
        CallState.Connecting => "Connecting…",
        CallState.Live => "Live",
        CallState.Ended => "Ended",
        _ => "Ready",
    };

    private Color StateColor => _state switch
    {
        CallState.Connecting => Color.Warning,
        CallState.Live => Color.Success,
        _ => Color.Default,
    };

    /// <summary>The module reports a state: <c>connecting</c>.</summary>
    /// <param name="state">State name.</param>
    [JSInvokable]
    public Task OnState(string state)
    {
        if (state == "connecting")
        {
            _state = CallState.Connecting;
        }

        return InvokeAsync(StateHasChanged);
    }

    /// <summary>The server accepted the call.</summary>
    /// <param name="conversationId">The stored conversation.</param>
    /// <param name="speechToText">Recognizer name, or null when the call is keypad-only.</param>
    [JSInvokable]
    public Task OnStarted(Guid conversationId, string? speechToText)
    {
        _state = CallState.Live;
        _conversationId = conversationId;
        _speechToText = speechToText;
        return InvokeAsync(StateHasChanged);
    }

    /// <summary>A transcript: the caller's (interim ones replace each other) or one agent sentence as it is played.</summary>
    /// <param name="role"><c>caller</c> or <c>agent</c>.</param>
    /// <param name="text">The words.</param>
    /// <param name="final">False for an interim caller transcript.</param>
    /// <param name="mark">For agent sentences, the mark that closes its audio.</param>
    [JSInvokable]
    public async Task OnTranscript(string role, string text, bool final, string? mark)
    {
        if (role == "agent")
        {
            _lines.Add(new Line(true, text, mark));
        }
        else if (final)
        {
            _interim = null;
            _lines.Add(new Line(false, text, null));
        }
        else
        {
            _interim = text;
        }

        await InvokeAsync(StateHasChanged);
    }

    /// <summary>The caller talked over the agent: sentences whose marks were pending were not heard.</summary>
    /// <param name="unheardMarks">Marks dropped by the <c>clear</c>.</param>
    [JSInvokable]
    public Task OnClear(string[] unheardMarks)
    {
        ArgumentNullException.ThrowIfNull(unheardMarks);
        foreach (var line in _lines.Where(l => l.Mark is not null && unheardMarks.Contains(l.Mark)))
        {
            line.Unheard = true;
        }

        return InvokeAsync(StateHasChanged);
    }

    /// <summary>The call could not start or broke (microphone denied, no microphone, network).</summary>
    /// <param name="kind"><c>denied</c>, <c>nomic</c>, <c>unsupported</c>, <c>audio</c> or <c>network</c>.</param>
    /// <param name="message">What to tell the owner.</param>
    [JSInvokable]
    public Task OnError(string kind, string message)
    {
        _error = message;
        _state = kind == "network" && _state == CallState.Live ? CallState.Ended : CallState.Idle;
        return InvokeAsync(StateHasChanged);
    }

    /// <summary>The call ended (either side hung up).</summary>
    /// <param name="reason">Why.</param>
    [JSInvokable]
    public Task OnEnded(string reason)
    {
        _state = CallState.Ended;
        _interim = null;
        _endReason = reason switch
        {
            "call ended" or "goodbye" or "conversation ended" => "The call ended. It is stored with its transcript.",
            _ => reason,
        };
        return InvokeAsync(StateHasChanged);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_module is not null)
        {
            try
            {
                await _module.InvokeVoidAsync("dispose");
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone; the browser released everything with the page.
            }
        }

        _self?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_lines.Count > 0 || _interim is not null)
        {
            await JS.InvokeVoidAsync("portal.scrollToBottom", _window);
        }
    }

    private async Task StartAsync()
    {
        _lines.Clear();
        _interim = null;
        _error = null;
        _endReason = null;
        _conversationId = null;
        _state = CallState.Connecting;
        _module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./js/browser-call.js");
        _self ??= DotNetObjectReference.Create(this);
        await _module.InvokeVoidAsync("start", _self);
    }

    private async Task HangUpAsync()
    {
        if (_module is not null)
        {
            await _module.InvokeVoidAsync("hangUp");
        }
    }

    private async Task SendDigitAsync(string digit)
    {
        if (_module is not null)
        {
            await _module.InvokeVoidAsync("sendDigit", digit);
        }
    }

    private sealed class Line(bool fromAgent, string text, string? mark)
    {
        public bool FromAgent { get; } = fromAgent;

        public string Text { get; } = text;

        public string? Mark { get; } = mark;

        public bool Unheard { get; set; }
    }
}
