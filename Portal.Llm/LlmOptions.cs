using System.ComponentModel.DataAnnotations;

namespace Portal.Llm;

/// <summary>Provider names accepted in <see cref="LlmOptions.Provider"/> and on the admin page.</summary>
public static class LlmProviders
{
    /// <summary>No model: every conversation uses the offline engine.</summary>
    public const string None = "none";

    /// <summary>OpenAI's Chat Completions API (https://platform.openai.com/docs/api-reference/chat).</summary>
    public const string OpenAI = "openai";

    /// <summary>Anthropic's Messages API (https://docs.anthropic.com/en/api/messages).</summary>
    public const string Anthropic = "anthropic";

    /// <summary>Any server speaking OpenAI's Chat Completions at <see cref="LlmOptions.BaseUrl"/> (Ollama, vLLM, Groq, LM Studio).</summary>
    public const string OpenAICompatible = "openai-compatible";

    /// <summary>Every accepted name.</summary>
    public static readonly IReadOnlyList<string> All = [None, OpenAI, Anthropic, OpenAICompatible];

    /// <summary>True when <paramref name="name"/> is one of <see cref="All"/>.</summary>
    public static bool IsKnown(string? name) => name is not null && All.Contains(name, StringComparer.Ordinal);
}

/// <summary>Price of a model per one million tokens, in US dollars.</summary>
public sealed class ModelPrice
{
    /// <summary>USD per 1M input (prompt) tokens.</summary>
    [Range(0, 10_000)]
    public decimal InputPerMillionUsd { get; set; }

    /// <summary>USD per 1M output (completion) tokens.</summary>
    [Range(0, 10_000)]
    public decimal OutputPerMillionUsd { get; set; }
}

/// <summary>
/// The <c>Llm</c> configuration section: the deployment's provider (overridden field by field by
/// the admin page's <see cref="Portal.Data.Entities.LanguageModelSettings"/>), the defaults a
/// persona may override, timeouts, the circuit breaker and prices. Absent or <c>Provider = none</c>
/// means the offline engine answers everything.
/// </summary>
public sealed class LlmOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Llm";

    /// <summary>One of <see cref="LlmProviders"/>; default none.</summary>
    public string Provider { get; set; } = LlmProviders.None;

    /// <summary>Default model id ("gpt-4.1-mini", "claude-sonnet-4-5", "llama3.1").</summary>
    [MaxLength(100)]
    public string? Model { get; set; }

    /// <summary>Endpoint base URL, e.g. <c>http://localhost:11434/v1</c>; required for openai-compatible, optional otherwise.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>API key (prefer the admin page, which stores it encrypted). Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Default sampling temperature (0–2).</summary>
    [Range(0, 2)]
    public double Temperature { get; set; } = 0.3;

    /// <summary>Default maximum output tokens per model request.</summary>
    [Range(16, 8192)]
    public int MaxOutputTokens { get; set; } = 400;

    /// <summary>Time allowed from sending a request to the first streamed update, ms.</summary>
    [Range(100, 120_000)]
    public int TimeToFirstTokenMs { get; set; } = 6000;

    /// <summary>Time allowed for the whole turn (every model request and tool call), ms.</summary>
    [Range(500, 300_000)]
    public int TotalTimeoutMs { get; set; } = 25_000;

    /// <summary>Time allowed for the "ask your data" model call that reads a question into a plan, ms; past it the grammar reads it.</summary>
    [Range(200, 120_000)]
    public int AskTimeoutMs { get; set; } = 8000;

    /// <summary>Retries of a request that failed before anything was streamed (never after).</summary>
    [Range(0, 5)]
    public int MaxRetries { get; set; } = 1;

    /// <summary>Tool calls allowed in one turn; past it the turn falls back to the offline engine.</summary>
    [Range(1, 32)]
    public int MaxToolCallsPerTurn { get; set; } = 6;

    /// <summary>Reply length cap in characters for chat (voice uses half); longer replies are cut at a sentence end.</summary>
    [Range(80, 4000)]
    public int MaxReplyChars { get; set; } = 700;

    /// <summary>Circuit breaker: failure ratio in the sampling window that opens the circuit (0–1].</summary>
    [Range(0.01, 1.0)]
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>Circuit breaker: minimum calls in the window before it may open.</summary>
    [Range(2, 1000)]
    public int CircuitMinimumThroughput { get; set; } = 4;

    /// <summary>Circuit breaker: sampling window, ms.</summary>
    [Range(500, 600_000)]
    public int CircuitSamplingMs { get; set; } = 30_000;

    /// <summary>Circuit breaker: how long the circuit stays open before one trial call, ms.</summary>
    [Range(500, 600_000)]
    public int CircuitBreakMs { get; set; } = 30_000;

    /// <summary>Prices per model id (case-insensitive), USD per 1M tokens; a model without an entry records no cost.</summary>
    public Dictionary<string, ModelPrice> Prices { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
