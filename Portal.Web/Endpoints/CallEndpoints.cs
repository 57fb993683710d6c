using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Data.Entities;
using Portal.Domain.Conversations;
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

    private static async Task<Results<Ok<ApiPage<CallDto>>, ValidationProblem>> ListAsync(ConversationHistory history, DateTimeOffset? from, DateTimeOffset? to, string? status, string? outcome, int? limit, string? cursor, CancellationToken ct)
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

        var rows = await history.ListAfterAsync(new ConversationSlice(Channel.Voice, wanted, from, to, status), take + 1, after, ct);
        return TypedResults.Ok(ApiCursor.Page(rows, take, c => c.StartedAt, c => c.Id, ToDto));
    }

    private static async Task<Results<Ok<CallDetailDto>, NotFound>> GetAsync(Guid id, ConversationHistory history, CancellationToken ct)
    {
        var call = await history.FindWithTurnsAsync(id, Channel.Voice, ct);
        if (call is null)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(new CallDetailDto(ToDto(call), ConversationEndpoints.TurnDtos(call), await RecordingsAsync(history, id, ct)));
    }

    private static async Task<Results<Ok<IReadOnlyList<RecordingDto>>, NotFound>> ListRecordingsAsync(Guid id, ConversationHistory history, CancellationToken ct)
    {
        if (!await history.IsCallAsync(id, ct))
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(await RecordingsAsync(history, id, ct));
    }

    private static async Task<IReadOnlyList<RecordingDto>> RecordingsAsync(ConversationHistory history, Guid callId, CancellationToken ct) =>
        (await history.RecordingsAsync(callId, ct))
        .Select(r => new RecordingDto(r.Id, r.ConversationId, r.ContentType, r.SizeBytes, r.DurationMs, r.CreatedAt,
            string.Format(System.Globalization.CultureInfo.InvariantCulture, CallRecordingEndpoints.AudioRoute, r.Id))).ToList();

    private static CallDto ToDto(Conversation c) =>
        new(c.Id, c.CallSid, c.FromNumber, c.ToNumber, c.CallStatus, c.DurationSeconds, c.StartedAt, c.EndedAt, c.Outcome.ToString(), c.IsTest, c.TurnCount);
}
