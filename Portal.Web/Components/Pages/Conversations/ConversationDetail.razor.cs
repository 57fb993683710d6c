using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Data;
using Portal.Domain.Entities;
using Portal.Web.Tenancy;

namespace Portal.Web.Components.Pages.Conversations;

/// <summary>One conversation: header facts, the transcript as chat bubbles and the bookings it made.</summary>
public partial class ConversationDetail
{
    private sealed record BookingLink(Guid Id, DateTimeOffset StartUtc, string ServiceName, BookingStatus Status);

    private sealed record RecordingLink(Guid Id, int DurationMs);

    private bool _loading = true;
    private string? _error;
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;
    private Conversation? _conversation;
    private List<BookingLink> _bookings = [];
    private List<RecordingLink> _recordings = [];
    private Portal.Domain.Brain.Insights.InsightView? _insight;

    /// <summary>Conversation id from the route.</summary>
    [Parameter] public Guid Id { get; set; }

    [Inject] private IDbContextFactory<PortalDbContext> DbFactory { get; set; } = default!;

    [Inject] private TenantClock Zones { get; set; } = default!;

    [Inject] private Portal.Domain.Brain.Insights.InsightQueries Insights { get; set; } = default!;

    /// <inheritdoc />
    protected override Task OnParametersSetAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _loading = true;
        _error = null;
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync();
            _zone = await Zones.ZoneAsync();
            // The tenant query filter makes another tenant's id indistinguishable from an unknown one: both are null.
            _conversation = await db.Conversations.AsNoTracking()
                .Include(c => c.Turns.OrderBy(t => t.Sequence))
                .FirstOrDefaultAsync(c => c.Id == Id);
            _bookings = _conversation is null
                ? []
                : await db.Bookings.AsNoTracking().Where(b => b.ConversationId == Id).OrderBy(b => b.StartUtc)
                    .Select(b => new BookingLink(b.Id, b.StartUtc, b.Service!.Name, b.Status)).ToListAsync();
            _recordings = _conversation is null
                ? []
                : await db.CallRecordings.AsNoTracking().Where(r => r.ConversationId == Id).OrderBy(r => r.CreatedAt)
                    .Select(r => new RecordingLink(r.Id, r.DurationMs)).ToListAsync();
            _insight = _conversation is null ? null : await Insights.GetAsync(Id, CancellationToken.None);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Npgsql.NpgsqlException or TimeoutException)
        {
            _error = "The conversation could not be loaded. Please try again.";
        }
        finally
        {
            _loading = false;
        }
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
