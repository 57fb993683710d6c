using System.Globalization;
using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using Portal.Domain.Tenancy;
using Portal.Web.Components.Shared;

namespace Portal.Web.Components.Pages.Admin;

/// <summary>Every agent of every business with its activity, and a chart of platform-wide conversation volume (Plotly.Blazor).</summary>
public sealed partial class AgentsPage
{
    private const int Limit = 500;
    private const int Days = 30;

    private readonly Config _config = new() { Responsive = true, DisplayLogo = false };
    private readonly Plotly.Blazor.Layout _layout = new()
    {
        Height = 300,
        ShowLegend = true,
        Margin = new Plotly.Blazor.LayoutLib.Margin { L = 40, R = 10, T = 10, B = 40 },
    };

    private IList<ITrace> _data = [];
    private IReadOnlyList<DailyVolume>? _volume;
    private IReadOnlyList<AgentAdminRow> _rows = [];
    private string? _search;
    private bool _loading = true;
    private string? _error;

    [Inject] private PageErrors Errors { get; set; } = default!;

    [Inject] private TenantAdministration Tenants { get; set; } = default!;

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        await LoadAsync();
        try
        {
            _volume = await Tenants.VolumeAsync(Days, CancellationToken.None);
            var days = _volume.Select(v => (object)v.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
            _data =
            [
                new Scatter { Name = "Calls", X = days, Y = _volume.Select(v => (object)v.Calls).ToList() },
                new Scatter { Name = "Chats", X = days, Y = _volume.Select(v => (object)v.Chats).ToList() },
            ];
        }
        catch (Exception ex) when (ex is InvalidOperationException or Npgsql.NpgsqlException or TimeoutException)
        {
            _volume = [];
            _error = "Conversation volume could not be loaded.";
        }
    }

    private static string Duration(double? seconds) =>
        seconds is { } s ? TimeSpan.FromSeconds(Math.Round(s)).ToString(s >= 3600 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture) : "—";

    private Task OnSearchChanged(string? value)
    {
        _search = value;
        return LoadAsync();
    }

    private async Task LoadAsync()
    {
        _loading = true;
        _error = await Errors.TryAsync(async () =>
        {
            _rows = await Tenants.AgentsAsync(_search, Limit, CancellationToken.None);
        }, "Agents could not be loaded. Please try again.");
        if (_error is not null)
        {
            _rows = [];
        }

        _loading = false;
    }
}
