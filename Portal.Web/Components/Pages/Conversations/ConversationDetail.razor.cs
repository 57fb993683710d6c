using System.Globalization;
using Microsoft.AspNetCore.Components;
using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Web.Components.Shared;
using Portal.Web.Tenancy;

namespace Portal.Web.Components.Pages.Conversations;

/// <summary>One conversation: header facts, the transcript as chat bubbles and the bookings it made.</summary>
public partial class ConversationDetail
{
    private bool _loading = true;
    private string? _error;
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;
    private Conversation? _conversation;
    private IReadOnlyList<ConversationBooking> _bookings = [];
    private IReadOnlyList<ConversationRecording> _recordings = [];
    private Portal.Domain.Brain.Insights.InsightView? _insight;

    /// <summary>Conversation id from the route.</summary>
    [Parameter] public Guid Id { get; set; }

    [Inject] private ConversationHistory History { get; set; } = default!;

    [Inject] private PageErrors Errors { get; set; } = default!;

    [Inject] private TenantClock Zones { get; set; } = default!;

    [Inject] private Portal.Domain.Brain.Insights.InsightQueries Insights { get; set; } = default!;

    /// <inheritdoc />
    protected override Task OnParametersSetAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _loading = true;
        _error = await Errors.TryAsync(async () =>
        {
            _zone = await Zones.ZoneAsync();
            // The tenant query filter makes another tenant's id indistinguishable from an unknown one: both are null.
            var found = await History.GetAsync(Id, CancellationToken.None);
            _conversation = found?.Conversation;
            _bookings = found?.Bookings ?? [];
            _recordings = found?.Recordings ?? [];
            _insight = found is null ? null : await Insights.GetAsync(Id, CancellationToken.None);
        }, "The conversation could not be loaded. Please try again.");
        _loading = false;
    }

    /// <summary>The latency breakdown of a voice agent turn: "speech→text 180 · model 95 · voice 60 · out 3 ms".</summary>
    private static string VoiceLatency(Turn t) =>
        string.Create(CultureInfo.InvariantCulture,
            $"speech→text {t.TranscriptLatencyMs?.ToString(CultureInfo.InvariantCulture) ?? "–"} · model {t.ModelLatencyMs?.ToString(CultureInfo.InvariantCulture) ?? "–"} · voice {t.SpeechLatencyMs?.ToString(CultureInfo.InvariantCulture) ?? "–"} · out {t.FrameOutLatencyMs?.ToString(CultureInfo.InvariantCulture) ?? "–"} ms");

    /// <summary>A caller voice turn's confidence and position in the call: " · 93% · 1.2–3.4 s"; empty for typed turns.</summary>
    private static string CallerAudio(Turn t) =>
        t.Confidence is not { } confidence
            ? ""
            : string.Create(CultureInfo.InvariantCulture, $" · {confidence:P0} confident · {(t.AudioStartMs ?? 0) / 1000.0:0.0}–{(t.AudioEndMs ?? 0) / 1000.0:0.0} s");
}
