using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Data.Entities;
using Portal.Domain.Numbers;
using Portal.Jobs.Numbers;
using Portal.Telephony;

namespace Portal.Web.Components.Pages.Admin;

/// <summary>
/// Buy numbers into the pool (ADR-008): search the provider's inventory, buy the chosen numbers or any
/// 10/50/100 as a Hangfire job, and watch the job's progress (polled once a second from its batch row)
/// with a per-number result list.
/// </summary>
public sealed partial class BuyNumbersPage : IDisposable
{
    private static readonly int[] BulkSizes = [10, 50, 100];

    private readonly SearchForm _form = new();
    private readonly CancellationTokenSource _disposed = new();
    private HashSet<SearchRow> _selected = [];
    private IReadOnlyList<SearchRow>? _results;
    private IReadOnlyList<NumberPurchaseBatch>? _recent;
    private NumberPurchaseBatch? _batch;
    private WebhookTargets? _targets;
    private string? _searchError;
    private bool _searching;
    private bool _starting;
    private bool _polling;

    [Inject] private NumberPurchasing Purchasing { get; set; } = default!;

    [Inject] private PurchaseBatches Batches { get; set; } = default!;

    [Inject] private PortalWebhookUrls WebhookUrls { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Inject] private ILogger<BuyNumbersPage> Logger { get; set; } = default!;

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        _targets = WebhookUrls.ForRequest(new Uri(Navigation.BaseUri));
        await LoadRecentAsync();
    }

    private static string Capabilities(NumberCapabilities c) =>
        string.Join(" · ", new[] { c.Voice ? "voice" : null, c.Sms ? "SMS" : null, c.Mms ? "MMS" : null, c.Fax ? "fax" : null }.Where(s => s is not null));

    private static double Percent(NumberPurchaseBatch b) =>
        b.Status == PurchaseBatchStatus.Completed ? 100 : 100.0 * b.ProcessedCount / Math.Max(1, Math.Max(b.RequestedCount, b.Items.Count));

    private static Color BatchColor(PurchaseBatchStatus s) => s switch
    {
        PurchaseBatchStatus.Completed => Color.Success,
        PurchaseBatchStatus.Failed => Color.Error,
        PurchaseBatchStatus.Running => Color.Info,
        _ => Color.Default,
    };

    private static Color ItemColor(PurchaseItemStatus s) => s switch
    {
        PurchaseItemStatus.Purchased or PurchaseItemStatus.AlreadyOwned => Color.Success,
        PurchaseItemStatus.Failed => Color.Error,
        PurchaseItemStatus.Purchasing => Color.Info,
        _ => Color.Default,
    };

    /// <summary>Selected rows that can be bought (not already in the pool).</summary>
    private List<SearchRow> Buyable => _selected.Where(r => !r.InPool).ToList();

    // One-way: the table owns its selection; feeding a new set back would make it raise the change again, forever.
    private void OnSelectionChanged(HashSet<SearchRow> rows) => _selected = rows;

    private async Task SearchAsync()
    {
        _searching = true;
        _searchError = null;
        _selected = [];
        try
        {
            var found = await Purchasing.SearchAsync(_form.ToQuery(), _disposed.Token);
            _results = found.Select(f => new SearchRow(f.Number, f.InPool)).ToList();
        }
        catch (ArgumentException ex)
        {
            _searchError = ex.Message;
        }
        catch (TelephonyException ex)
        {
            _searchError = $"The provider refused the search: {ex.Message}";
        }
        finally
        {
            _searching = false;
        }
    }

    private Task BuySelectedAsync() =>
        StartAsync([.. Buyable.Select(r => new PurchaseCandidate(r.Number.PhoneNumber, r.Number.Locality, r.Number.Region))], 0);

    private Task BuyBulkAsync(int count) => StartAsync([], count);

    private async Task StartAsync(IReadOnlyList<PurchaseCandidate> chosen, int count)
    {
        if (_targets is null)
        {
            return;
        }

        _starting = true;
        try
        {
            var query = _form.ToQuery();
            var batchId = await Purchasing.StartAsync(new PurchaseRequest(chosen, count, query.AreaCode, query.Region, query.Locality, query.Contains,
                _targets.VoiceUrl, _targets.StatusCallbackUrl, (long)Math.Round(_form.MonthlyPriceDollars * 100m)), _disposed.Token);
            Logger.LogInformation("Purchase batch {BatchId} started from the buy page ({Chosen} chosen, {Count} any)", batchId, chosen.Count, count);
            Snackbar.Add(chosen.Count > 0 ? $"Buying {chosen.Count} number(s)…" : $"Buying any {count} numbers…", Severity.Info);
            // The inventory shown is stale once numbers are bought: the admin searches again.
            _selected = [];
            _results = null;
            await ShowAsync(batchId);
            Logger.LogInformation("Purchase batch {BatchId} shown: {Status}", batchId, _batch?.Status);
        }
        catch (ArgumentException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
        catch (UnauthorizedAccessException)
        {
            Snackbar.Add("Only platform admins can buy numbers.", Severity.Error);
        }
        finally
        {
            _starting = false;
        }
    }

    private async Task RetryAsync()
    {
        if (_batch is not null && await Purchasing.RetryAsync(_batch.Id, _disposed.Token))
        {
            Snackbar.Add("Batch queued again.", Severity.Info);
            await ShowAsync(_batch.Id);
        }
    }

    private async Task ShowAsync(Guid batchId)
    {
        _batch = await Batches.GetAsync(batchId, _disposed.Token);
        await LoadRecentAsync();
        if (!_polling)
        {
            _ = PollAsync();
        }
    }

    /// <summary>Re-reads the shown batch once a second while its job is queued or running.</summary>
    private async Task PollAsync()
    {
        _polling = true;
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            while (_batch is { Status: PurchaseBatchStatus.Queued or PurchaseBatchStatus.Running } && await timer.WaitForNextTickAsync(_disposed.Token))
            {
                _batch = await Batches.GetAsync(_batch.Id, _disposed.Token);
                if (_batch is not { Status: PurchaseBatchStatus.Queued or PurchaseBatchStatus.Running })
                {
                    await LoadRecentAsync();
                }

                await InvokeAsync(StateHasChanged);
            }
        }
        catch (OperationCanceledException)
        {
            // The page was left.
        }
        catch (ObjectDisposedException)
        {
            // The page was left.
        }
        finally
        {
            _polling = false;
        }
    }

    private async Task LoadRecentAsync() => _recent = await Batches.RecentAsync(10, _disposed.Token);

    /// <summary>An inventory row and whether the pool already holds it.</summary>
    private sealed record SearchRow(AvailableNumber Number, bool InPool);

    /// <summary>The search form; validation mirrors <see cref="AvailableNumberQuery.Validate"/>.</summary>
    private sealed class SearchForm
    {
        [RegularExpression("^[2-9][0-9]{2}$", ErrorMessage = "Area code is three digits, 200–999.")]
        public string? AreaCode { get; set; }

        [RegularExpression("^[A-Za-z]{2}$", ErrorMessage = "Region is a two-letter code such as NY.")]
        public string? Region { get; set; }

        [StringLength(64, ErrorMessage = "City is at most 64 characters.")]
        public string? Locality { get; set; }

        [RegularExpression("^[0-9A-Za-z*]{2,16}$", ErrorMessage = "Contains is 2–16 digits, letters or *.")]
        public string? Contains { get; set; }

        [Range(typeof(decimal), "0", "1000", ErrorMessage = "Price per month is $0–$1000.")]
        public decimal MonthlyPriceDollars { get; set; } = 1.15m;

        public AvailableNumberQuery ToQuery() => new(
            "US",
            string.IsNullOrWhiteSpace(AreaCode) ? null
                : int.TryParse(AreaCode, NumberStyles.None, CultureInfo.InvariantCulture, out var areaCode) ? areaCode
                : throw new ArgumentException("Area code is three digits, 200–999.", nameof(AreaCode)),
            string.IsNullOrWhiteSpace(Locality) ? null : Locality.Trim(),
            string.IsNullOrWhiteSpace(Region) ? null : Region.Trim().ToUpperInvariant(),
            string.IsNullOrWhiteSpace(Contains) ? null : Contains.Trim(),
            AvailableNumberQuery.MaxLimit);
    }
}
