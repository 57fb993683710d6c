using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Domain.Data;

namespace Portal.E2E;

/// <summary>The Agent page's phone-call section in a browser: choose a speech synthesis provider, turn recording on, save.</summary>
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
            await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.Ordinal));
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
}
