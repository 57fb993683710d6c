using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Domain.BusinessSettings;
using Portal.Web.Components.Shared;

namespace Portal.Web.Components.Pages.Business.Components;

/// <summary>The "Hours" tab: edits the weekly opening intervals; Save replaces the tenant's BusinessHours rows.</summary>
public partial class HoursTab
{
    private sealed class IntervalModel
    {
        public TimeSpan? Opens { get; set; }

        public TimeSpan? Closes { get; set; }
    }

    private sealed class DayModel
    {
        public DayOfWeek Day { get; init; }

        public bool IsOpen { get; set; }

        public List<IntervalModel> Intervals { get; } = [];
    }

    private static readonly DayOfWeek[] Week = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    private List<DayModel>? _days;
    private string? _error;
    private bool _saving;
    private bool _submitted;

    [Inject] private BusinessSettingsService Settings { get; set; } = default!;

    [Inject] private PageErrors Errors { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <inheritdoc />
    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        IReadOnlyList<OpeningHours> rows = [];
        _error = await Errors.TryAsync(async () => rows = await Settings.GetHoursAsync(CancellationToken.None), "Opening hours could not be loaded.");
        _days = _error is not null ? [] : Week.Select(d =>
        {
            var model = new DayModel { Day = d };
            foreach (var h in rows.Where(r => r.Day == d).OrderBy(r => r.Opens))
            {
                model.Intervals.Add(new IntervalModel { Opens = h.Opens.ToTimeSpan(), Closes = h.Closes.ToTimeSpan() });
            }

            model.IsOpen = model.Intervals.Count > 0;
            if (!model.IsOpen)
            {
                model.Intervals.Add(new IntervalModel { Opens = TimeSpan.FromHours(9), Closes = TimeSpan.FromHours(17) });
            }

            return model;
        }).ToList();
    }

    private static void AddInterval(DayModel day)
    {
        var last = day.Intervals.Where(i => i.Closes is not null).Select(i => i.Closes!.Value).DefaultIfEmpty(TimeSpan.FromHours(12)).Max();
        var opens = last.Add(TimeSpan.FromHours(1)) < TimeSpan.FromHours(23) ? last.Add(TimeSpan.FromHours(1)) : last;
        day.Intervals.Add(new IntervalModel { Opens = opens, Closes = opens.Add(TimeSpan.FromHours(1)) < TimeSpan.FromDays(1) ? opens.Add(TimeSpan.FromHours(1)) : null });
    }

    /// <summary>The day's first problem in words, or null when its intervals are complete, ordered and disjoint.</summary>
    private static string? Validate(DayModel day)
    {
        if (!day.IsOpen)
        {
            return null;
        }

        if (day.Intervals.Count == 0)
        {
            return "Add at least one interval or switch the day to closed.";
        }

        if (day.Intervals.Any(i => i.Opens is null || i.Closes is null))
        {
            return "Every interval needs an opening and a closing time.";
        }

        if (day.Intervals.Any(i => i.Closes <= i.Opens))
        {
            return "Closing time must be after opening time.";
        }

        var sorted = day.Intervals.OrderBy(i => i.Opens).ToList();
        for (var k = 1; k < sorted.Count; k++)
        {
            if (sorted[k].Opens < sorted[k - 1].Closes)
            {
                return "Intervals must not overlap.";
            }
        }

        return null;
    }

    private async Task SaveAsync()
    {
        _submitted = true;
        if (_days is null || _days.Any(d => Validate(d) is not null))
        {
            Snackbar.Add("Please fix the highlighted days.", Severity.Warning);
            return;
        }

        _saving = true;
        try
        {
            var hours = _days.Where(d => d.IsOpen)
                .SelectMany(d => d.Intervals.Select(i => new OpeningHours(d.Day, TimeOnly.FromTimeSpan(i.Opens!.Value), TimeOnly.FromTimeSpan(i.Closes!.Value))))
                .ToList();
            var failure = await Errors.TryAsync(() => Settings.ReplaceHoursAsync(hours, CancellationToken.None), "The hours could not be saved. Please try again.");
            if (failure is null)
            {
                _submitted = false;
                Snackbar.Add("Opening hours saved.", Severity.Success);
            }
            else
            {
                Snackbar.Add(failure, Severity.Error);
            }
        }
        catch (ArgumentException ex)
        {
            Snackbar.Add(ex.Message, Severity.Warning);
        }
        finally
        {
            _saving = false;
        }
    }
}
