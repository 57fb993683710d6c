using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.IntegrationTests.Llm;

/// <summary>A tool call a scripted model makes: name and arguments (serialized to the JSON the vendor streams).</summary>
public sealed record FakeToolCall(string Name, object Arguments)
{
    public string ArgumentsJson => JsonSerializer.Serialize(Arguments);
}

/// <summary>
/// One scripted model response: text (streamed in small chunks) and/or tool calls, or a failure
/// (an HTTP status, a delay before the first byte, a hang after the first chunk).
/// </summary>
public sealed record FakeStep
{
    public string? Text { get; init; }

    public IReadOnlyList<FakeToolCall> ToolCalls { get; init; } = [];

    public int? Status { get; init; }

    public TimeSpan DelayBeforeFirstByte { get; init; }

    public bool HangAfterFirstChunk { get; init; }

    /// <summary>Streams <see cref="Text"/>, then drops the connection without finishing the response.</summary>
    public bool AbortAfterText { get; init; }

    public int InputTokens { get; init; } = 120;

    public int OutputTokens { get; init; } = 30;

    public static FakeStep Say(string text) => new() { Text = text };

    public static FakeStep Call(string name, object arguments) => new() { ToolCalls = [new FakeToolCall(name, arguments)] };

    public static FakeStep Fail(int status) => new() { Status = status };

    public static FakeStep Hang() => new() { DelayBeforeFirstByte = TimeSpan.FromMinutes(5) };
}

/// <summary>A request the fake received: its JSON body and headers.</summary>
public sealed record FakeRequest(JsonObject Body, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The messages' text, all roles, for assertions.</summary>
    public string Raw => Body.ToJsonString();

    /// <summary>The text of the tool-result messages (OpenAI <c>role: tool</c> content, Anthropic <c>tool_result</c> blocks), unescaped.</summary>
    public string ToolResults
    {
        get
        {
            var texts = new List<string>();
            foreach (var message in Body["messages"]?.AsArray() ?? [])
            {
                if (message?["role"]?.GetValue<string>() == "tool")
                {
                    texts.Add(message["content"] is JsonValue v ? v.GetValue<string>() : message["content"]?.ToJsonString() ?? "");
                }

                if (message?["content"] is JsonArray blocks)
                {
                    foreach (var block in blocks)
                    {
                        if (block?["type"]?.GetValue<string>() == "tool_result")
                        {
                            texts.Add(block["content"] is JsonValue c ? c.GetValue<string>() : block["content"]?.ToJsonString() ?? "");
                        }
                    }
                }
            }

            return string.Join("\n", texts);
        }
    }
}

/// <summary>The script both fake servers follow: steps served in order; an empty script answers 500.</summary>
public sealed class FakeModelScript
{
    private readonly ConcurrentQueue<FakeStep> _steps = new();
    private readonly ConcurrentQueue<FakeRequest> _requests = new();

    public void Enqueue(params FakeStep[] steps)
    {
        foreach (var step in steps)
        {
            _steps.Enqueue(step);
        }
    }

    public FakeStep Next() => _steps.TryDequeue(out var step) ? step : FakeStep.Fail(500);

    public int Remaining => _steps.Count;

    public void Record(FakeRequest request) => _requests.Enqueue(request);

    public IReadOnlyList<FakeRequest> Requests => [.. _requests];

    public void Clear()
    {
        _steps.Clear();
        _requests.Clear();
    }
}
