namespace Portal.Data.Entities;

/// <summary>
/// One question asked of "ask your data" (<c>Brain.Ask.AskService</c>): who read it (the language model or the built-in
/// grammar), whether it was answered, why a model's reading was set aside, and, when a model was called, its usage and
/// cost, recorded the way a model turn's are (<see cref="Turn.Model"/>, <see cref="Turn.InputTokens"/>,
/// <see cref="Turn.OutputTokens"/>, <see cref="Turn.CostMicroUsd"/>).
/// </summary>
public sealed class AskQuestion : TenantEntity
{
    /// <summary>Longest question accepted, characters (the page's limit).</summary>
    public const int QuestionMaxLength = 300;

    /// <summary>Maximum length of <see cref="ReadBy"/>.</summary>
    public const int ReadByMaxLength = 16;

    /// <summary>Maximum length of <see cref="ModelProblem"/>.</summary>
    public const int ModelProblemMaxLength = 300;

    /// <summary>The question as typed (cut at <see cref="QuestionMaxLength"/>).</summary>
    public string Question { get; set; } = "";

    /// <summary>"model", "grammar" or "none" (<c>Brain.Ask.AskReaders</c>).</summary>
    public string ReadBy { get; set; } = "";

    /// <summary>True when the question was answered from the data.</summary>
    public bool Answered { get; set; }

    /// <summary>Why the model's reading was not used (the call failed, the plan did not parse or validate), else null.</summary>
    public string? ModelProblem { get; set; }

    /// <summary>Model id when a model was called, else null.</summary>
    public string? Model { get; set; }

    /// <summary>Model prompt tokens, when a model was called.</summary>
    public int? InputTokens { get; set; }

    /// <summary>Model completion tokens, when a model was called.</summary>
    public int? OutputTokens { get; set; }

    /// <summary>Model cost in micro-dollars (1e-6 USD) from the configured price, or null (no model call or no price).</summary>
    public long? CostMicroUsd { get; set; }
}
