using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Data.Entities;
using Portal.Domain.Audit;
using Portal.Web.Components.Shared;

namespace Portal.Web.Components.Pages.Admin;

/// <summary>The platform audit log, newest first, filtered by action and UTC date range.</summary>
public partial class AuditLogPage
{
    private const int Limit = 200;

    private bool _loading = true;
    private string? _error;
    private string? _action;
    private DateRange? _range;
    private IReadOnlyList<AuditEntry> _entries = [];

    [Inject] private PageErrors Errors { get; set; } = default!;

    [Inject] private AuditLog Audit { get; set; } = default!;

    /// <inheritdoc />
    protected override Task OnInitializedAsync() => LoadAsync();

    private Task OnActionChanged(string? value)
    {
        _action = value;
        return LoadAsync();
    }

    private Task OnRangeChanged(DateRange? value)
    {
        _range = value;
        return LoadAsync();
    }

    private async Task LoadAsync()
    {
        _loading = true;
        _error = await Errors.TryAsync(async () =>
        {
            DateTimeOffset? from = _range?.Start is { } start ? new DateTimeOffset(DateOnly.FromDateTime(start).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;
            DateTimeOffset? to = _range?.End is { } end ? new DateTimeOffset(DateOnly.FromDateTime(end).AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;
            _entries = await Audit.ListAsync(new AuditQuery(_action, from, to, Limit), CancellationToken.None);
        }, "The audit log could not be loaded. Please try again.");
        if (_error is not null)
        {
            _entries = [];
        }

        _loading = false;
    }
}
