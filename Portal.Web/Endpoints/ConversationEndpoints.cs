using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Web.Api;

namespace Portal.Web.Endpoints;

/// <summary>Body of <c>POST /api/v1/conversations</c>.</summary>
/// <param name="Channel">"test" (default) or "web_chat".</param>
public sealed record StartConversationRequest(string? Channel);

/// <summary>Body of <c>POST /api/v1/conversations/{id}/turns</c>.</summary>
/// <param name="Utterance">What the caller said or typed (1..1000 characters).</param>
public sealed record TurnRequest([property: Required] string Utterance);

/// <summary>A conversation in lists: channel (Voice, WebChat, Test), UTC times, outcome, customer and turn count.</summary>
public sealed record ConversationDto(Guid Id, string Channel, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string Outcome, string? CustomerName, string? CustomerPhone, int TurnCount);

/// <summary>A turn.</summary>
public sealed record TurnDto(int Sequence, string Speaker, string Text, DateTimeOffset StartedAt, DateTimeOffset CompletedAt, int? LatencyMs, string? Intent);

/// <summary>A conversation with its turns.</summary>
public sealed record ConversationDetailDto(ConversationDto Conversation, IReadOnlyList<TurnDto> Turns);

/// <summary>
/// The conversation API: open a conversation and process turns (every channel's
/// turns go through the same <c>ConversationService</c>), list and read conversations. Tenant-scoped by the signed-in user.
/// </summary>
public static class ConversationEndpoints
{
    /// <summary>Maps the <c>/api/v1/conversations</c> group.</summary>
    public static IEndpointRouteBuilder MapConversationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/conversations").WithTags("Conversations").RequireAuthorization(Policies.BusinessUser);
        group.MapPost("", StartAsync).WithIdempotency().WithSummary("Start a conversation")
            .WithDescription("Opens a conversation with the business's live agent on the `test` (default) or `web_chat` channel and returns its greeting.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:guid}/turns", ProcessTurnAsync).WithIdempotency().WithSummary("Process a turn")
            .WithDescription("Sends what the customer said or typed (1-1000 characters) and returns the agent's reply, intent, actions (booking created, message taken...) and the outcome so far.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:guid}/turns/stream", StreamTurnAsync).WithSummary("Process a turn, streamed")
            .WithDescription("As `POST /turns`, answered as server-sent events: `delta` (`{\"text\"}` to append), `restart` (discard the text so far) and one final `result`.")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:guid}/end", EndAsync).WithSummary("End a conversation")
            .WithDescription("Ends the conversation (idempotent); its outcome becomes Answered or Abandoned unless something stronger happened.");
        group.MapGet("", ListAsync).WithSummary("List conversations")
            .WithDescription("Newest first. Filters: `channel` (voice, web_chat, test), `outcome`, `from` and `to` (UTC start time). Paged with `limit` (1-200, default 50) and `cursor`.");
        group.MapGet("/{id:guid}", GetAsync).WithSummary("Get a conversation with its turns");
        return app;
    }

    private static async Task<Results<Created<StartedConversation>, ProblemHttpResult>> StartAsync(StartConversationRequest? request, ConversationService conversations, CancellationToken ct)
    {
        var channel = request?.Channel?.ToLowerInvariant() switch
        {
            null or "" or "test" => Channel.Test,
            "web_chat" or "webchat" => Channel.WebChat,
            _ => (Channel?)null,
        };
        if (channel is null)
        {
            return TypedResults.Problem("Channel must be 'test' or 'web_chat'.", statusCode: StatusCodes.Status400BadRequest);
        }

        try
        {
            var started = await conversations.StartAsync(channel.Value, null, ct);
            return TypedResults.Created($"/api/v1/conversations/{started.ConversationId}", started);
        }
        catch (InvalidOperationException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict);
        }
    }

    private static async Task<Results<Ok<TurnResult>, NotFound, ValidationProblem, ProblemHttpResult>> ProcessTurnAsync(Guid id, TurnRequest? request, ConversationService conversations, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request?.Utterance))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["utterance"] = ["The utterance is required."] });
        }

        if (request.Utterance.Length > ConversationService.MaxUtteranceLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["utterance"] = [$"The utterance must be at most {ConversationService.MaxUtteranceLength} characters."] });
        }

        try
        {
            return TypedResults.Ok(await conversations.ProcessTurnAsync(id, request.Utterance, ct));
        }
        catch (KeyNotFoundException)
        {
            return TypedResults.NotFound();
        }
        catch (ConversationEndedException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict);
        }
    }

    /// <summary>
    /// The streaming variant of the turns endpoint: <c>text/event-stream</c>
    /// (https://html.spec.whatwg.org/multipage/server-sent-events.html) with events <c>delta</c>
    /// (<c>{"text":"…"}</c>, append), <c>restart</c> (discard the text so far: the model failed
    /// mid-reply and the offline engine answers) and one final <c>result</c> (the
    /// <see cref="TurnResult"/> the non-streaming endpoint returns). Errors before the first event
    /// are plain status codes as for <c>/turns</c>.
    /// </summary>
    private static async Task<Results<ServerSentEventsResult<string>, NotFound, ValidationProblem, ProblemHttpResult>> StreamTurnAsync(Guid id, TurnRequest? request, ConversationService conversations, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request?.Utterance) || request.Utterance.Length > ConversationService.MaxUtteranceLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["utterance"] = [$"The utterance is required and must be at most {ConversationService.MaxUtteranceLength} characters."] });
        }

        var events = conversations.StreamTurnAsync(id, request.Utterance, ct).GetAsyncEnumerator(ct);
        try
        {
            if (!await events.MoveNextAsync())
            {
                await events.DisposeAsync();
                return TypedResults.Problem("The turn produced no reply.", statusCode: StatusCodes.Status500InternalServerError);
            }
        }
        catch (KeyNotFoundException)
        {
            await events.DisposeAsync();
            return TypedResults.NotFound();
        }
        catch (ConversationEndedException ex)
        {
            await events.DisposeAsync();
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict);
        }

        return TypedResults.ServerSentEvents(Sse(events));
    }

    private static readonly System.Text.Json.JsonSerializerOptions SseJson = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    private static async IAsyncEnumerable<System.Net.ServerSentEvents.SseItem<string>> Sse(IAsyncEnumerator<TurnStreamEvent> events)
    {
        await using (events)
        {
            do
            {
                var e = events.Current;
                if (e.Restart)
                {
                    yield return new("{}", "restart");
                }
                else if (e.Delta is { } delta)
                {
                    yield return new(System.Text.Json.JsonSerializer.Serialize(new { text = delta }, SseJson), "delta");
                }
                else if (e.Result is { } result)
                {
                    yield return new(System.Text.Json.JsonSerializer.Serialize(result, SseJson), "result");
                }
            }
            while (await events.MoveNextAsync());
        }
    }

    private static async Task<Results<NoContent, NotFound>> EndAsync(Guid id, ConversationService conversations, CancellationToken ct)
    {
        try
        {
            await conversations.EndAsync(id, ct);
            return TypedResults.NoContent();
        }
        catch (KeyNotFoundException)
        {
            return TypedResults.NotFound();
        }
    }

    private static async Task<Results<Ok<ApiPage<ConversationDto>>, ValidationProblem>> ListAsync(ConversationHistory history, string? channel, string? outcome, DateTimeOffset? from, DateTimeOffset? to, int? limit, string? cursor, CancellationToken ct)
    {
        if (ApiCursor.Validate(limit, cursor, out var take, out var after) is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // An unknown channel or outcome does not filter (as before; the list has always been lenient here).
        var slice = new ConversationSlice(
            Enum.TryParse<Channel>(channel?.Replace("_", "", StringComparison.Ordinal), true, out var ch) ? ch : null,
            Enum.TryParse<ConversationOutcome>(outcome?.Replace("_", "", StringComparison.Ordinal), true, out var oc) ? oc : null,
            from,
            to);
        var rows = await history.ListAfterAsync(slice, take + 1, after, ct);
        return TypedResults.Ok(ApiCursor.Page(rows, take, c => c.StartedAt, c => c.Id, ToDto));
    }

    private static async Task<Results<Ok<ConversationDetailDto>, NotFound>> GetAsync(Guid id, ConversationHistory history, CancellationToken ct)
    {
        var conversation = await history.FindWithTurnsAsync(id, null, ct);
        if (conversation is null)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(new ConversationDetailDto(ToDto(conversation), TurnDtos(conversation)));
    }

    /// <summary>The conversation's turns in order, as the API returns them.</summary>
    internal static IReadOnlyList<TurnDto> TurnDtos(Conversation conversation) =>
        conversation.Turns.OrderBy(t => t.Sequence)
            .Select(t => new TurnDto(t.Sequence, t.Speaker.ToString(), t.Text, t.StartedAt, t.CompletedAt, t.LatencyMs, t.Intent)).ToList();

    private static ConversationDto ToDto(Conversation c) =>
        new(c.Id, c.Channel.ToString(), c.StartedAt, c.EndedAt, c.Outcome.ToString(), c.CustomerName, c.CustomerPhone, c.TurnCount);
}
