using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Portal.Fakes.Stripe;

/// <summary>Stripe-shaped responses of <see cref="FakeStripeServer"/>: lists, JSON, the error object, HTML pages, and form metadata.</summary>
internal static class StripeHttp
{
    public static JsonObject List(IList<JsonNode> data, string url) =>
        new() { ["object"] = "list", ["data"] = new JsonArray([.. data]), ["has_more"] = false, ["url"] = url };

    public static Task FoundAsync(HttpContext context, JsonObject? found, string kind, string id) =>
        found is null ? ErrorAsync(context, 404, "invalid_request_error", $"No such {kind}: '{id}'", "resource_missing") : JsonAsync(context, found);

    public static Task JsonAsync(HttpContext context, JsonObject body)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers["Request-Id"] = "req_" + Guid.NewGuid().ToString("N")[..14];
        return context.Response.WriteAsync(body.ToJsonString());
    }

    public static Task ErrorAsync(HttpContext context, int status, string type, string message, string? code)
    {
        context.Response.StatusCode = status;
        return JsonAsync(context, new JsonObject { ["error"] = new JsonObject { ["type"] = type, ["message"] = message, ["code"] = code } });
    }

    public static Task WriteHtmlAsync(HttpContext context, string html)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(html);
    }

    public static string Html(string text) => WebUtility.HtmlEncode(text);

    public static JsonObject Metadata(IFormCollection form, string prefix)
    {
        var metadata = new JsonObject();
        foreach (var key in form.Keys.Where(k => k.StartsWith(prefix + "[", StringComparison.Ordinal) && k.EndsWith(']') && k.Count(c => c == '[') == prefix.Count(c => c == '[') + 1))
        {
            metadata[key[(prefix.Length + 1)..^1]] = form[key].ToString();
        }

        return metadata;
    }
}
