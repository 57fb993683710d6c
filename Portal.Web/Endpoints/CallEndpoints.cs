using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Web.Api;

namespace Portal.Web.Endpoints;

/// <summary>A phone call: Twilio CallSid, caller and called numbers (E.164), provider status, duration in seconds, UTC times and outcome.</summary>
public sealed record CallDto(Guid Id, string? CallSid, string? From, string? To, string? Status, int? DurationSeconds, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string Outcome, bool IsTest, int TurnCount);

/// <summary>A recording of a call (a voice message): WAV, size in bytes, length in milliseconds, and where to fetch the audio.</summary>
public sealed record RecordingDto(Guid Id, Guid CallId, string ContentType, long SizeBytes, int DurationMs, DateTimeOffset CreatedAt, string AudioUrl);

/// <summary>A call with its transcript and recordings.</summary>
public sealed record CallDetailDto(CallDto Call, IReadOnlyList<TurnDto> Turns, IReadOnlyList<RecordingDto> Recordings);

/// <summary>The business's phone calls (voice conversations) and their recordings. Tenant-scoped by the key or user.</summary>
public static class CallEndpoints
{
    /// <summary>Maps the <c>/api/v1/calls</c> group.</summary>
    public static IEndpointRouteBuilder MapCallEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/calls").WithTags("Calls").RequireAuthorization(Policies.BusinessUser);
        group.MapGet("", ListAsync).WithSummary("List calls")
            .WithDescription("Newest first. Filters: `from` and `to` (UTC start time), `status` (Twilio call status such as completed, no-answer), `outcome`. Paged with `limit` and `cursor`.");
        group.MapGet("/{id:guid}", GetAsync).WithSummary("Get a call with its transcript and recordings");
        group.MapGet("/{id:guid}/recordings", ListRecordingsAsync).WithSummary("List a call's recordings");
        return app;
    }

    private static async Task<Results<Ok<ApiPage<CallDto>>, ValidationProblem>> ListAsync(PortalDbContext db, DateTimeOffset? from, DateTimeOffset? to, string? status, string? outcome, int? limit, string? cursor, CancellationToken ct)
    {
        var errors = ApiCursor.Validate(limit, cursor, out var take, out var after) ?? [];
        ConversationOutcome? wanted = null;
        if (!string.IsNullOrEmpty(outcome))
        {
            if (Enum.TryParse<ConversationOutcome>(outcome.Replace("_", "", StringComparison.Ordinal), true, out var o) && Enum.IsDefined(o))
            {
                wanted = o;
            }
            else
            {
                errors["outcome"] = ["Unknown outcome."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = db.Conversations.AsNoTracking().Where(c => c.Channel == Channel.Voice);
        if (from is { } f)
        {
            query = query.Where(c => c.StartedAt >= f);
        }

        if (to is { } t)
        {
            query = query.Where(c => c.StartedAt < t);
        }

        if (!string.IsNullOrEmpty(status))
        {
            var s = status.ToLowerInvariant();
            query = query.Where(c => c.CallStatus == s);
        }

        if (wanted is { } w)
        {
            query = query.Where(c => c.Outcome == w);
        }

        if (after is var (at, lastId))
        {
            query = query.Where(c => c.StartedAt < at || (c.StartedAt == at && c.Id.CompareTo(lastId) < 0));
        }

        var rows = await query.OrderByDescending(c => c.StartedAt).ThenByDescending(c => c.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(ApiCursor.Page(rows, take, c => c.StartedAt, c => c.Id, ToDto));
    }

    private static async Task<Results<Ok<CallDetailDto>, NotFound>> GetAsync(Guid id, PortalDbContext db, CancellationToken ct)
    {
        var call = await db.Conversations.AsNoTracking().Include(c => c.Turns).FirstOrDefaultAsync(c => c.Id == id && c.Channel == Channel.Voice, ct);
        if (call is null)
        {
            return TypedResults.NotFound();
        }

        var turns = call.Turns.OrderBy(t => t.Sequence)
            .Select(t => new TurnDto(t.Sequence, t.Speaker.ToString(), t.Text, t.StartedAt, t.CompletedAt, t.LatencyMs, t.Intent)).ToList();
        return TypedResults.Ok(new CallDetailDto(ToDto(call), turns, await RecordingsAsync(db, id, ct)));
    }

    private static async Task<Results<Ok<IReadOnlyList<RecordingDto>>, NotFound>> ListRecordingsAsync(Guid id, PortalDbContext db, CancellationToken ct)
    {
        if (!await db.Conversations.AnyAsync(c => c.Id == id && c.Channel == Channel.Voice, ct))
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(await RecordingsAsync(db, id, ct));
    }

    private static async Task<IReadOnlyList<RecordingDto>> RecordingsAsync(PortalDbContext db, Guid callId, CancellationToken ct) =>
        (await db.CallRecordings.AsNoTracking().Where(r => r.ConversationId == callId).OrderBy(r => r.CreatedAt)
            .Select(r => new { r.Id, r.ConversationId, r.ContentType, r.SizeBytes, r.DurationMs, r.CreatedAt }).ToListAsync(ct))
        .Select(r => new RecordingDto(r.Id, r.ConversationId, r.ContentType, r.SizeBytes, r.DurationMs, r.CreatedAt,
            string.Format(System.Globalization.CultureInfo.InvariantCulture, CallRecordingEndpoints.AudioRoute, r.Id))).ToList();

    private static CallDto ToDto(Conversation c) =>
        new(c.Id, c.CallSid, c.FromNumber, c.ToNumber, c.CallStatus, c.DurationSeconds, c.StartedAt, c.EndedAt, c.Outcome.ToString(), c.IsTest, c.TurnCount);
}
