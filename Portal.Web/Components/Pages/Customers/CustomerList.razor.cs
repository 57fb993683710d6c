using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Domain.Customers;
using Portal.Web.Components.Shared;
using Portal.Web.Tenancy;

namespace Portal.Web.Components.Pages.Customers;

/// <summary>The business's customers, searched and paged by <see cref="CustomerService"/>.</summary>
public partial class CustomerList
{
    private const int PageSize = 25;

    private bool _loading = true;
    private string? _error;
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;
    private IReadOnlyList<CustomerRow> _rows = [];
    private int _total;
    private int _page = 1;
    private string? _search;

    [Inject] private PageErrors Errors { get; set; } = default!;

    [Inject] private CustomerService Customers { get; set; } = default!;

    [Inject] private TenantClock Zones { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private int PageCount => Math.Max(1, (_total + PageSize - 1) / PageSize);

    /// <summary>Green from 70, amber from 40, else grey.</summary>
    internal static Color LeadColor(int score) => score >= 70 ? Color.Success : score >= 40 ? Color.Warning : Color.Default;

    /// <inheritdoc />
    protected override Task OnInitializedAsync() => LoadAsync();

    private Task OnSearchChanged(string? value)
    {
        _search = value;
        _page = 1;
        return LoadAsync();
    }

    private Task OnPageChanged(int page)
    {
        _page = page;
        return LoadAsync();
    }

    private async Task LoadAsync()
    {
        _loading = true;
        _error = await Errors.TryAsync(async () =>
        {
            _zone = await Zones.ZoneAsync();
            var page = await Customers.ListAsync(_search, _page, PageSize, CancellationToken.None);
            _rows = page.Rows;
            _total = page.Total;
        }, "The customers could not be loaded. Please try again.");
        _loading = false;
    }
}
