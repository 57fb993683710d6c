using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Portal.IntegrationTests.Hardening;

/// <summary>
/// The app as it runs in production, probed from outside over Kestrel: security headers, problem details without
/// internals, control characters refused at the API edge, webhook form limits, self-hosted fonts, cached static assets
/// and a first start without error lines.
/// </summary>
public sealed partial class ProductionHardeningTests(HardeningAppFactory app) : IClassFixture<HardeningAppFactory>
{
    private HttpClient Anonymous() => app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = app.ServerAddress });

    [Theory]
    [InlineData("/Account/Login")]
    [InlineData("/api/v1/conversations")]
    [InlineData("/health")]
    public async Task EveryResponse_CarriesTheSecurityHeaders_AndNoServerHeader(string path)
    {
        using var response = await Anonymous().GetAsync(path);

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.False(response.Headers.Contains("Server"), "the Server header names the web server");
        // HSTS is sent only over HTTPS (RFC 6797 §7.2): never on this plain-HTTP test server.
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task UnhandledException_OnTheApi_IsProblemDetails_WithoutInternals()
    {
        using var response = await Anonymous().GetAsync("/api/test/throw");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(500, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("traceId", out _));
        Assert.DoesNotContain("secret", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        Assert.DoesNotContain("/srv/", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
        Assert.Contains(HardeningAppFactory.SecretDetail, app.Log.Dump(), StringComparison.Ordinal); // logged server-side
    }

    [Fact]
    public async Task TwilioWebhook_WithATenMegabyteField_Is413()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/twilio/voice")
        {
            Content = new StringContent("CallSid=CA1&Body=" + new string('a', 10 * 1024 * 1024), Encoding.ASCII, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("X-Twilio-Signature", "c2lnbmF0dXJl");
        // The server answers before the body is sent (RFC 9110 §10.1.1), as a real client would see it.
        request.Headers.ExpectContinue = true;

        using var response = await Anonymous().SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.DoesNotContain(" at ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwilioWebhook_WithFiveThousandFields_Is400()
    {
        var form = string.Join("&", Enumerable.Range(0, 5000).Select(i => $"f{i}=1"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/twilio/voice") { Content = new StringContent(form, Encoding.ASCII, "application/x-www-form-urlencoded") };
        request.Headers.Add("X-Twilio-Signature", "c2lnbmF0dXJl");

        using var response = await Anonymous().SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("InvalidDataException", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInPage_ReferencesNoExternalHost_AndServesItsOwnFont()
    {
        var html = await Anonymous().GetStringAsync("/Account/Login");

        var external = UrlAttribute().Matches(html).Select(m => m.Groups["url"].Value).Where(u => u.StartsWith("http", StringComparison.OrdinalIgnoreCase) || u.StartsWith("//", StringComparison.Ordinal)).ToList();
        Assert.Empty(external);
        Assert.DoesNotContain("googleapis", html, StringComparison.Ordinal);
        var fontCss = Assert.Single(UrlAttribute().Matches(html), m => m.Groups["url"].Value.Contains("roboto", StringComparison.Ordinal)).Groups["url"].Value;
        var css = await Anonymous().GetStringAsync(fontCss);
        var woff2 = Regex.Match(css, @"url\((?<f>files/roboto-latin-400-normal[^)]*\.woff2)\)").Groups["f"].Value;
        using var font = await Anonymous().GetAsync(new Uri(new Uri(app.ServerAddress, fontCss), woff2));
        Assert.Equal(HttpStatusCode.OK, font.StatusCode);
        Assert.Equal("font/woff2", font.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task StaticAssets_AreCompressed_AndARepeatVisitGets304()
    {
        var html = await Anonymous().GetStringAsync("/Account/Login");
        var mudCss = Assert.Single(UrlAttribute().Matches(html), m => m.Groups["url"].Value.Contains("MudBlazor.min", StringComparison.Ordinal) && m.Groups["url"].Value.EndsWith(".css", StringComparison.Ordinal)).Groups["url"].Value;
        // A plain client that does not decompress, so Content-Encoding is what the server sent.
        using var client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = app.ServerAddress };

        using var first = new HttpRequestMessage(HttpMethod.Get, mudCss);
        first.Headers.AcceptEncoding.ParseAdd("gzip, br");
        using var full = await client.SendAsync(first);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.NotEmpty(full.Content.Headers.ContentEncoding);
        Assert.True(full.Headers.CacheControl?.ToString().Contains("immutable", StringComparison.Ordinal), $"{mudCss}: {full.Headers.CacheControl}"); // fingerprinted URL
        var etag = full.Headers.ETag!;

        using var repeat = new HttpRequestMessage(HttpMethod.Get, mudCss);
        repeat.Headers.AcceptEncoding.ParseAdd("gzip, br");
        repeat.Headers.IfNoneMatch.Add(etag);
        repeat.Headers.IfModifiedSince = full.Content.Headers.LastModified;
        using var notModified = await client.SendAsync(repeat);
        Assert.True(notModified.StatusCode == HttpStatusCode.NotModified, $"{notModified.StatusCode}; sent {etag}, {full.Content.Headers.LastModified}; got {notModified.Headers.ETag} {string.Join(",", notModified.Content.Headers.ContentEncoding)} {full.Headers.Vary}");
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public void FirstStart_OnAnEmptyDatabase_LogsNoError()
    {
        // The factory migrated a fresh database at start; its log holds warnings and errors of every category.
        var errors = app.Log.Dump().Split('\n').Where(l => l.Contains(" Error ", StringComparison.Ordinal) || l.Contains(" Critical ", StringComparison.Ordinal))
            .Where(l => !l.Contains(HardeningAppFactory.SecretDetail, StringComparison.Ordinal)).ToList();
        Assert.Empty(errors);
    }

    [GeneratedRegex("""(?:src|href)="(?<url>[^"]+)"(?=[\s>/])""")]
    private static partial Regex UrlAttribute();
}
