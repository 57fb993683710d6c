using Microsoft.AspNetCore.Components;
using Portal.Domain.Brain.Analytics;
using Portal.Domain.Tenancy;
using Portal.Web.Endpoints;
using Portal.Web.Components.Shared;

namespace Portal.Web.Components.Pages.Admin;

/// <summary>The platform admin's analytics: every business together (default) or one business, same figures as the owner's page.</summary>
public sealed partial class AnalyticsAdminPage
{
    private const int MaxBusinesses = 500;

    private IReadOnlyList<TenantAdminRow> _tenants = [];
    private Guid _tenantId = Guid.Empty;
    private AnalyticsQuery? _query;
    private AnalyticsReport? _report;
    private DateOnly _today;
    private string? _error;

    [Inject] private PageErrors Errors { get; set; } = default!;

    [Inject] private AnalyticsService Analytics { get; set; } = default!;

    [Inject] private TenantAdministration Tenants { get; set; } = default!;

    [Inject] private TimeProvider Clock { get; set; } = default!;

    private Guid? Scope => _tenantId == Guid.Empty ? null : _tenantId;

    private string CsvBase => _query is null ? "" : AnalyticsEndpoints.CsvUrl(AnalyticsEndpoints.AdminCsvRoute, _query, Scope);

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        _today = DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);
        _query = new AnalyticsQuery(_today.AddDays(-29), _today);
        _error = await Errors.TryAsync(
            async () => _tenants = (await Tenants.ListAsync(null, MaxBusinesses, CancellationToken.None)).OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase).ToList(),
            "Businesses could not be loaded right now.");
        if (_error is not null)
        {
            return;
        }

        await LoadAsync();
    }

    private Task OnBusinessChangedAsync(Guid tenantId)
    {
        _tenantId = tenantId;
        return LoadAsync();
    }

    private Task OnQueryChangedAsync(AnalyticsQuery query)
    {
        _query = query;
        return LoadAsync();
    }

    private async Task LoadAsync()
    {
        if (_query is null)
        {
            return;
        }

        _report = null;
        _error = null;
        try
        {
            _error = await Errors.TryAsync(async () => _report = await Analytics.GetForPlatformAsync(Scope, _query, CancellationToken.None), "Analytics could not be loaded right now.");
        }
        catch (ArgumentException)
        {
            _error = _query.Validate();
        }
    }
}
