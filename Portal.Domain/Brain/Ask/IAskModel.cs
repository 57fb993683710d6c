using Portal.Domain.Conversations;

namespace Portal.Domain.Brain.Ask;

/// <summary>Who read a question into a plan: stored in <see cref="Portal.Data.Entities.AskQuestion.ReadBy"/> and shown in "how I got this".</summary>
public static class AskReaders
{
    /// <summary>A language model's structured output (<see cref="IAskModel"/>).</summary>
    public const string Model = "model";

    /// <summary>The offline grammar (<see cref="QuestionParser"/>).</summary>
    public const string Grammar = "grammar";

    /// <summary>Nobody could: the question was not answered.</summary>
    public const string None = "none";
}

/// <summary>What a model is told besides the question: the business's "today", its time zone and its services.</summary>
/// <param name="Question">The owner's question as typed.</param>
/// <param name="Today">The business's local date now.</param>
/// <param name="TimeZoneId">The business's IANA time zone ("America/New_York").</param>
/// <param name="ServiceNames">The business's service names, as the <c>service</c> dimension shows them.</param>
public sealed record AskModelInput(string Question, DateOnly Today, string TimeZoneId, IReadOnlyList<string> ServiceNames);

/// <summary>A model's reading of a question: a plan (not yet validated) or why there is none, and the call's usage.</summary>
/// <param name="Plan">The plan the model's JSON deserialised to, or null.</param>
/// <param name="Problem">Why there is no plan ("the model did not answer (timeout)", "the answer was not a plan"), else null.</param>
/// <param name="Usage">Model, tokens and cost of the call, or null when nothing was answered.</param>
public sealed record AskModelReading(QueryPlan? Plan, string? Problem, TurnUsage? Usage);

/// <summary>
/// The language-model path of "ask your data": one structured-output call that turns a question into a
/// <see cref="QueryPlan"/> (never SQL). Implemented in Portal.Llm. <see cref="AskService"/> validates the plan against the
/// <see cref="AskCatalogue"/> exactly as the grammar's, and falls back to <see cref="QuestionParser"/> when the model is not
/// configured, fails or answers an invalid plan.
/// </summary>
public interface IAskModel
{
    /// <summary>True when a model is configured for the deployment (no call is made otherwise).</summary>
    Task<bool> IsConfiguredAsync(CancellationToken cancellationToken);

    /// <summary>Reads <paramref name="input"/> into a plan. Never throws for a model failure or timeout: returns a reading with a problem.</summary>
    Task<AskModelReading> ReadAsync(AskModelInput input, CancellationToken cancellationToken);
}
