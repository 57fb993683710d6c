using System.Net;
using System.Text.Json;

namespace Portal.IntegrationTests.Api;

/// <summary>The OpenAPI document describes every /api/v1 operation with a summary and its responses; the reference page serves.</summary>
public sealed class OpenApiDocumentTests(ApiAppFactory app) : IClassFixture<ApiAppFactory>
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

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
