using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.IntegrationTests.Api;

/// <summary>The OpenAPI document describes every /api/v1 operation with a summary and its responses; the reference page serves.</summary>
public sealed class OpenApiDocumentTests(ApiAppFactory app) : IClassFixture<ApiAppFactory>
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    /// <summary>The only /api/v1 routes the document may leave out, each with the reason.</summary>
    private static readonly Dictionary<string, string> Undocumented = new(StringComparer.Ordinal)
    {
        ["GET /api/v1/browser-call"] = "a WebSocket upgrade (OpenAPI cannot describe a WebSocket) used only by the signed-in test-call page, which it checks by Origin; API keys cannot use it",
    };

    /// <summary>An endpoint's path as OpenAPI writes it: literals as they are, parameters as <c>{name}</c> without constraints.</summary>
    private static string OpenApiPath(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            _ => throw new InvalidOperationException($"Unexpected route part in {pattern.RawText}"),
        }))));

    [Fact]
    public async Task EveryApiV1RouteOfTheApp_IsInTheDocument_ExceptTheListedOnes()
    {
        var client = app.CreateClient();
        using var doc = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var paths = doc.RootElement.GetProperty("paths");
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Path: OpenApiPath(e.RoutePattern), Methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]))
            .Where(e => e.Path.StartsWith("/api/v1/", StringComparison.Ordinal) || e.Path == "/api/v1")
            .SelectMany(e => e.Methods.Select(m => $"{m} {e.Path}"))
            .Distinct().Order().ToList();
        Assert.True(routes.Count >= 25, $"only {routes.Count} /api/v1 routes found: {string.Join(", ", routes)}");

        var missing = routes.Where(route =>
        {
            var (method, path) = (route[..route.IndexOf(' ', StringComparison.Ordinal)], route[(route.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
            return !(paths.TryGetProperty(path, out var item) && item.TryGetProperty(method.ToLowerInvariant(), out _));
        }).ToList();
        // Exactly the listed ones: a new undocumented route fails, and so does an exception that no longer applies.
        Assert.Equal(Undocumented.Keys.Order(), missing);
    }

    [Fact]
    public async Task EveryApiV1Operation_HasSummary_AndResponseTypes()
    {
        var client = app.CreateClient();
        var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = doc.RootElement.GetProperty("paths");
        var operations = 0;
        foreach (var path in paths.EnumerateObject())
        {
            Assert.StartsWith("/api/v1/", path.Name, StringComparison.Ordinal);
            foreach (var op in path.Value.EnumerateObject().Where(o => Methods.Contains(o.Name)))
            {
                operations++;
                var where = $"{op.Name.ToUpperInvariant()} {path.Name}";
                Assert.True(op.Value.TryGetProperty("summary", out var summary) && summary.GetString()!.Length > 3, $"{where} has no summary");
                var responses = op.Value.GetProperty("responses").EnumerateObject().ToList();
                var success = responses.Where(r => r.Name.StartsWith('2')).ToList();
                Assert.True(success.Count > 0, $"{where} documents no success response");
                Assert.Contains(responses, r => r.Name == "401");
                Assert.Contains(responses, r => r.Name == "429");
                foreach (var ok in success.Where(r => r.Name is "200" or "201" or "202"))
                {
                    Assert.True(ok.Value.TryGetProperty("content", out var content) && content.EnumerateObject().Any(), $"{where} {ok.Name} has no response type");
                }

                if (op.Name == "post" && !path.Name.EndsWith("/stream", StringComparison.Ordinal) && !path.Name.EndsWith("/end", StringComparison.Ordinal))
                {
                    Assert.True(op.Value.TryGetProperty("parameters", out var parameters) && parameters.EnumerateArray().Any(p => p.GetProperty("name").GetString() == "Idempotency-Key"),
                        $"{where} does not document Idempotency-Key");
                }
            }
        }

        foreach (var expected in new[] { "/api/v1/conversations", "/api/v1/conversations/{id}/turns", "/api/v1/calls", "/api/v1/calls/{id}/recordings", "/api/v1/bookings",
                     "/api/v1/bookings/{id}/reschedule", "/api/v1/bookings/{id}/cancel", "/api/v1/services", "/api/v1/hours", "/api/v1/closed-dates",
                     "/api/v1/knowledge/sources", "/api/v1/knowledge/faqs", "/api/v1/knowledge/files", "/api/v1/agent", "/api/v1/numbers" })
        {
            Assert.True(paths.TryGetProperty(expected, out _), $"{expected} is not documented");
        }

        Assert.True(operations >= 25, $"only {operations} operations documented");
        Assert.True(doc.RootElement.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("ApiKey", out _));
    }

    [Fact]
    public async Task ReferencePage_Serves()
    {
        var response = await app.CreateClient().GetAsync("/api/reference");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<title>Portal REST API reference</title>", html, StringComparison.Ordinal);
    }
}
