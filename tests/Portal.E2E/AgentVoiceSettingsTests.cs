using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Data;

namespace Portal.E2E;

/// <summary>The Agent page's phone-call section in a browser: choose a speech synthesis provider, turn recording on, change the voice, save.</summary>
public sealed class AgentVoiceSettingsTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Owner_ChoosesEspeak_AndTurnsRecordingOn_BothAreSavedOnThePersona()
    {
        var tenant = await app.CreateTenantAsync("Voice Settings Dental");
        var page = await app.NewPageAsync();
        try
        {
            await page.GotoAsync("/Account/Login");
            await page.FillAsync("#email", tenant.Email);
            await page.FillAsync("#password", tenant.Password);
            await page.ClickAsync("button[type=submit]");
            await BrowserFixture.WaitForUrlAsync(page, url => !url.Contains("/Account/Login", StringComparison.Ordinal));
            await page.GotoAsync("/agent");
            await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await page.Locator("[data-testid=agent-form]").WaitForAsync();
            await page.Locator("[data-testid=agent-tts-provider]", new() { HasTextString = "Deployment default (espeak-ng (offline))" }).WaitForAsync();

            await page.Locator("[data-testid=agent-tts-provider]").ClickAsync();
            await page.GetByRole(AriaRole.Option, new() { Name = "espeak-ng (offline)", Exact = true }).ClickAsync();
            await page.GetByLabel("Record voice messages").CheckAsync();
            await page.ClickAsync("[data-testid=agent-save]");
            await page.Locator(".mud-snackbar", new() { HasTextString = "Agent saved" }).WaitForAsync();

            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var persona = await db.AgentPersonas.IgnoreQueryFilters().AsNoTracking().SingleAsync(a => a.Id == tenant.AgentId);
            Assert.Equal("espeak", persona.TextToSpeechProvider);
            Assert.Null(persona.SpeechToTextProvider); // left on the deployment default
            Assert.True(persona.RecordingEnabled);
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "agent-voice-failure.png"), FullPage = true });
            throw;
        }
    }

    [Fact]
    public async Task Owner_WhoseVoiceCannotSpeak_SeesItFlagged_PicksAnotherByName_PreviewsIt_AndSaves()
    {
        var tenant = await app.CreateTenantAsync("Voice Change Dental");
        // The state behind the silent-calls bug (ADR-013): onboarding saved the espeak-ng variant "Storm (female)", which espeak-ng cannot speak.
        await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<PortalDbContext>().AgentPersonas.ExecuteUpdateAsync(s => s.SetProperty(a => a.VoiceId, "variant+f3")));
        var page = await app.NewPageAsync();
        try
        {
            await page.GotoAsync("/Account/Login");
            await page.FillAsync("#email", tenant.Email);
            await page.FillAsync("#password", tenant.Password);
            await page.ClickAsync("button[type=submit]");
            await BrowserFixture.WaitForUrlAsync(page, url => !url.Contains("/Account/Login", StringComparison.Ordinal));
            await page.GotoAsync("/agent");
            await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await page.Locator("[data-testid=agent-form]").WaitForAsync();

            var unavailable = page.Locator("[data-testid=voice-unavailable]");
            await unavailable.WaitForAsync(new() { Timeout = BrowserFixture.WaitTimeoutMs }); // the first visit probes every voice
            Assert.Contains("variant+f3", await unavailable.InnerTextAsync(), StringComparison.Ordinal);
            Assert.True(await page.Locator("[data-testid=voice-preview]").IsDisabledAsync(), "an unavailable voice cannot be previewed");

            await page.Locator("[data-testid=voice]").ClickAsync();
            await page.GetByRole(AriaRole.Option, new() { Name = "English (Great Britain), female", Exact = true }).ClickAsync();
            await unavailable.WaitForAsync(new() { State = WaitForSelectorState.Detached });

            var preview = await page.RunAndWaitForResponseAsync(
                () => page.ClickAsync("[data-testid=voice-preview]"),
                r => r.Url.Contains("/api/v1/voices/preview", StringComparison.Ordinal));
            Assert.Equal(200, preview.Status);
            Assert.Equal("audio/wav", preview.Headers["content-type"]);
            Assert.Contains("voice=en-gb%2Bf3", preview.Url, StringComparison.Ordinal);
            // The page consumed the body (fetch → blob → <audio>); ask again with the page's cookies to weigh it.
            var wav = await (await page.APIRequest.GetAsync(preview.Url)).BodyAsync();
            Assert.True(wav.Length > 16_000, $"the preview holds {wav.Length} bytes: less than half a second of 16 kHz audio");
            await page.Locator("[data-testid=voice-preview]", new() { HasTextString = "Preview" }).WaitForAsync(new() { Timeout = BrowserFixture.WaitTimeoutMs }); // played to the end
            Assert.Equal(0, await page.Locator(".mud-snackbar", new() { HasTextString = "Could not play" }).CountAsync());
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "agent-voice.png"), FullPage = true });

            await page.ClickAsync("[data-testid=agent-save]");
            await page.Locator(".mud-snackbar", new() { HasTextString = "Agent saved" }).WaitForAsync();
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
                var persona = await db.AgentPersonas.IgnoreQueryFilters().AsNoTracking().SingleAsync(a => a.Id == tenant.AgentId);
                Assert.Equal("en-gb+f3", persona.VoiceId);
            }

            await page.ReloadAsync();
            await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await page.Locator("[data-testid=voice-loading]").WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = BrowserFixture.WaitTimeoutMs });
            var shown = page.Locator("[data-testid=voice-picker] input:visible");
            Assert.Equal("English (Great Britain), female", await shown.InputValueAsync()); // the name, never the id
            Assert.Equal(0, await page.Locator("[data-testid=voice-unavailable]").CountAsync());
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "agent-voice-change-failure.png"), FullPage = true });
            throw;
        }
    }
}
