using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests;

public sealed class VoiceApiTests(PortalAppFactory app) : IClassFixture<PortalAppFactory>
{
    [Fact]
    public async Task Voices_ListEspeakVoices_AndPreviewIsAWavFile()
    {
        var tenant = await app.CreateTenantAsync("Voice Dental");
        var client = await app.SignInAsync(tenant.Email, tenant.Password);
        var voices = await client.GetFromJsonAsync<JsonElement>("/api/v1/voices");
        var ids = voices.EnumerateArray().Select(v => v.GetProperty("id").GetString()).ToList();
        Assert.Contains("en-us", ids);
        Assert.Contains("en-us+f3", ids);

        var preview = await client.GetAsync("/api/v1/voices/preview?voice=en-us&text=Thanks%20for%20calling");
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal("audio/wav", preview.Content.Headers.ContentType?.MediaType);
        var bytes = await preview.Content.ReadAsByteArrayAsync();
        Assert.True(bytes.Length > 4000, $"only {bytes.Length} bytes of audio");
        Assert.Equal("RIFF"u8.ToArray(), bytes[..4]);
        Assert.Equal("WAVE"u8.ToArray(), bytes[8..12]);
    }

    [Theory]
    [InlineData("/api/v1/voices/preview?voice=not-a-voice")]
    [InlineData("/api/v1/voices/preview?voice=en-us;rm%20-rf%20/")]
    [InlineData("/api/v1/voices/preview")]
    public async Task Preview_WithUnknownOrHostileVoice_Is400(string url)
    {
        var tenant = await app.CreateTenantAsync("Voice Guard Dental " + Guid.NewGuid().ToString("N")[..6]);
        var client = await app.SignInAsync(tenant.Email, tenant.Password);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task Voices_WithoutSignIn_Is401()
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/voices")).StatusCode);
    }
}
