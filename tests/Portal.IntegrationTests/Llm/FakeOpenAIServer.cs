using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Portal.IntegrationTests.Llm;

/// <summary>
/// A fake OpenAI-compatible server on 127.0.0.1 (real Kestrel): <c>POST /v1/chat/completions</c>
/// with <c>stream: true</c> answers Server-Sent Events as OpenAI documents them
/// (https://platform.openai.com/docs/api-reference/chat-streaming): <c>chat.completion.chunk</c>
/// objects with <c>delta.content</c> pieces or <c>delta.tool_calls</c> (id, name, then argument
/// fragments by index), a chunk with <c>finish_reason</c>, a usage chunk with empty choices, then
/// <c>data: [DONE]</c>; without <c>stream</c> it answers one <c>chat.completion</c> object with the step's text
/// (tool calls are streamed only). Follows a <see cref="FakeModelScript"/>.
/// </summary>
public sealed class FakeOpenAIServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeOpenAIServer(WebApplication app, FakeModelScript script)
    {
        _app = app;
        Script = script;
    }

    public FakeModelScript Script { get; }

    /// <summary>Base URL including <c>/v1</c>, as configured for an OpenAI-compatible provider.</summary>
    public string BaseUrl { get; private set; } = "";

    public static async Task<FakeOpenAIServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeOpenAIServer(app, new FakeModelScript());
        app.MapPost("/v1/chat/completions", server.HandleAsync);
        await app.StartAsync();
        server.BaseUrl = app.Urls.First() + "/v1";
        return server;
    }

    private async Task HandleAsync(HttpContext http)
    {
        var body = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
        Script.Record(new FakeRequest(body, http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        var step = Script.Next();
        var ct = http.RequestAborted;
        if (step.DelayBeforeFirstByte > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(step.DelayBeforeFirstByte, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        if (step.Status is { } status)
        {
            http.Response.StatusCode = status;
            await http.Response.WriteAsJsonAsync(new { error = new { message = "scripted failure", type = "server_error", code = (string?)null } }, ct);
            return;
        }

        var model = body["model"]?.GetValue<string>() ?? "fake";
        const string id = "chatcmpl-fake";
        if (body["stream"]?.GetValue<bool>() != true)
        {
            // Without stream: one chat.completion object (https://platform.openai.com/docs/api-reference/chat/object).
            await http.Response.WriteAsJsonAsync(new
            {
                id, @object = "chat.completion", created = 1_700_000_000, model,
                choices = new[] { new { index = 0, message = new { role = "assistant", content = step.Text ?? "" }, finish_reason = "stop" } },
                usage = new { prompt_tokens = step.InputTokens, completion_tokens = step.OutputTokens, total_tokens = step.InputTokens + step.OutputTokens },
            }, ct);
            return;
        }

        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        async Task Send(object chunk)
        {
            await http.Response.WriteAsync("data: " + JsonSerializer.Serialize(chunk) + "\n\n", ct);
            await http.Response.Body.FlushAsync(ct);
        }

        object Chunk(object delta, string? finish) => new { id, @object = "chat.completion.chunk", created = 1_700_000_000, model, choices = new[] { new { index = 0, delta, finish_reason = finish } } };

        await Send(Chunk(new { role = "assistant", content = "" }, null));
        if (step.HangAfterFirstChunk)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        if (step.Text is { } text)
        {
            foreach (var piece in Pieces(text, 7))
            {
                await Send(Chunk(new { content = piece }, null));
            }

            if (step.AbortAfterText)
            {
                // Let the client read what was sent (a reset can discard unread bytes), then drop the connection.
                await Task.Delay(500, ct);
                http.Abort();
                return;
            }
        }

        for (var i = 0; i < step.ToolCalls.Count; i++)
        {
            var call = step.ToolCalls[i];
            await Send(Chunk(new { tool_calls = new[] { new { index = i, id = $"call_{Guid.NewGuid():N}", type = "function", function = new { name = call.Name, arguments = "" } } } }, null));
            foreach (var fragment in Pieces(call.ArgumentsJson, 11))
            {
                await Send(Chunk(new { tool_calls = new[] { new { index = i, function = new { arguments = fragment } } } }, null));
            }
        }

        await Send(Chunk(new { }, step.ToolCalls.Count > 0 ? "tool_calls" : "stop"));
        await Send(new { id, @object = "chat.completion.chunk", created = 1_700_000_000, model, choices = Array.Empty<object>(), usage = new { prompt_tokens = step.InputTokens, completion_tokens = step.OutputTokens, total_tokens = step.InputTokens + step.OutputTokens } });
        await http.Response.WriteAsync("data: [DONE]\n\n", ct);
    }

    internal static IEnumerable<string> Pieces(string text, int size)
    {
        for (var i = 0; i < text.Length; i += size)
        {
            yield return text.Substring(i, Math.Min(size, text.Length - i));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
