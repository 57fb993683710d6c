using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Domain.Brain.Mcp;
using Portal.Web.Mcp;
using Portal.Web.Tenancy;
using Portal.Web.Components.Shared;

namespace Portal.Web.Components.Pages.Business.Components;

/// <summary>The "AI assistants" tab: apps connected through OAuth (disconnect), MCP tokens (create, revoke), connection instructions.</summary>
public partial class AiAssistantsTab
{
    private List<McpTokenView> _tokens = [];
    private List<McpConnectedApp> _apps = [];
    private CreatedMcpToken? _created;
    private bool _loading = true;
    private bool _busy;
    private bool _allowBooking;
    private string? _error;
    private string? _name;
    private string? _nameError;
    private string _url = "";
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;

    [Inject] private PageErrors Errors { get; set; } = default!;

    [Inject] private McpTokenService Tokens { get; set; } = default!;

    [Inject] private McpOAuthGrantService Apps { get; set; } = default!;

    [Inject] private TenantClock Clock { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private string TokenText => _created?.Token ?? "<your token>";

    private string ClaudeConfig =>
        "{\n  \"mcpServers\": {\n    \"portal\": {\n      \"command\": \"npx\",\n      \"args\": [\"mcp-remote\", \"" + _url +
        "\", \"--header\", \"Authorization: Bearer " + TokenText + "\"]\n    }\n  }\n}";

    private string VsCodeConfig =>
        "{\n  \"servers\": {\n    \"portal\": {\n      \"type\": \"http\",\n      \"url\": \"" + _url +
        "\",\n      \"headers\": { \"Authorization\": \"Bearer " + TokenText + "\" }\n    }\n  }\n}";

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        _url = Navigation.BaseUri.TrimEnd('/') + McpSetup.Path;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _loading = true;
        _error = null;
        _error = await Errors.TryAsync(async () =>
        {
            _zone = await Clock.ZoneAsync();
            _tokens = [.. await Tokens.ListAsync(CancellationToken.None)];
            _apps = [.. await Apps.ListAsync(CancellationToken.None)];
        }, "The connected apps and tokens could not be loaded. Please try again.");
        _loading = false;
    }

    private string Local(DateTimeOffset utc) => TimeZoneInfo.ConvertTime(utc, _zone).ToString("MMM d, yyyy h:mm tt", System.Globalization.CultureInfo.InvariantCulture);

    private async Task CreateAsync()
    {
        _nameError = string.IsNullOrWhiteSpace(_name) ? "Give the token a name, such as \"Claude on my laptop\"." : null;
        if (_nameError is not null)
        {
            return;
        }

        _busy = true;
        try
        {
            _created = await Tokens.CreateAsync(_name!, _allowBooking, CancellationToken.None);
            _name = null;
            await LoadAsync();
        }
        catch (ArgumentException ex)
        {
            _nameError = ex.Message;
        }
        catch (InvalidOperationException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RevokeAsync(Guid id)
    {
        if (await Tokens.RevokeAsync(id, CancellationToken.None))
        {
            Snackbar.Add("Token revoked; assistants using it are disconnected.", Severity.Success);
        }

        _created = null;
        await LoadAsync();
    }

    private async Task DisconnectAsync(Guid id)
    {
        if (await Apps.RevokeAsync(id, CancellationToken.None))
        {
            Snackbar.Add("App disconnected; its tokens no longer work.", Severity.Success);
        }

        await LoadAsync();
    }
}
