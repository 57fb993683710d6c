using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Portal.IntegrationTests.Llm;

/// <summary>
/// A fake Anthropic Messages API on 127.0.0.1 (real Kestrel): <c>POST /v1/messages</c> with
/// <c>stream: true</c> answers the documented SSE sequence
/// (https://docs.anthropic.com/en/api/messages-streaming): <c>message_start</c>, per content block
/// <c>content_block_start</c> / <c>content_block_delta</c> (<c>text_delta</c> or
/// <c>input_json_delta</c>) / <c>content_block_stop</c>, <c>message_delta</c> with the stop reason
/// and output usage, <c>message_stop</c>. Follows a <see cref="FakeModelScript"/>.
/// </summary>
public sealed class FakeAnthropicServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeAnthropicServer(WebApplication app, FakeModelScript script)
    {
        _app = app;
        Script = script;
    }

    public FakeModelScript Script { get; }

    /// <summary>Base URL (the SDK appends <c>/v1/messages</c>).</summary>
    public string BaseUrl { get; private set; } = "";

    public static async Task<FakeAnthropicServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeAnthropicServer(app, new FakeModelScript());
        app.MapPost("/v1/messages", server.HandleAsync);
        await app.StartAsync();
        server.BaseUrl = app.Urls.First();
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
            await http.Response.WriteAsJsonAsync(new { type = "error", error = new { type = "api_error", message = "scripted failure" } }, ct);
            return;
        }

        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        var model = body["model"]?.GetValue<string>() ?? "claude-fake";
        async Task Send(string type, object data)
        {
            await http.Response.WriteAsync($"event: {type}\ndata: {JsonSerializer.Serialize(data)}\n\n", ct);
            await http.Response.Body.FlushAsync(ct);
        }

        await Send("message_start", new
        {
            type = "message_start",
            message = new
            {
                id = "msg_fake",
                type = "message",
                role = "assistant",
                model,
                content = Array.Empty<object>(),
                stop_reason = (string?)null,
                stop_sequence = (string?)null,
                usage = new { input_tokens = step.InputTokens, output_tokens = 1 },
            },
        });
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

        var index = 0;
        if (step.Text is { } text)
        {
            await Send("content_block_start", new { type = "content_block_start", index, content_block = new { type = "text", text = "" } });
            await Send("ping", new { type = "ping" });
            foreach (var piece in FakeOpenAIServer.Pieces(text, 7))
            {
                await Send("content_block_delta", new { type = "content_block_delta", index, delta = new { type = "text_delta", text = piece } });
            }

            await Send("content_block_stop", new { type = "content_block_stop", index });
            index++;
        }

        foreach (var call in step.ToolCalls)
        {
            await Send("content_block_start", new { type = "content_block_start", index, content_block = new { type = "tool_use", id = $"toolu_{Guid.NewGuid():N}", name = call.Name, input = new { } } });
            foreach (var fragment in FakeOpenAIServer.Pieces(call.ArgumentsJson, 11))
            {
                await Send("content_block_delta", new { type = "content_block_delta", index, delta = new { type = "input_json_delta", partial_json = fragment } });
            }

            await Send("content_block_stop", new { type = "content_block_stop", index });
            index++;
        }

        await Send("message_delta", new
        {
            type = "message_delta",
            delta = new { stop_reason = step.ToolCalls.Count > 0 ? "tool_use" : "end_turn", stop_sequence = (string?)null },
            usage = new { output_tokens = step.OutputTokens },
        });
        await Send("message_stop", new { type = "message_stop" });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
