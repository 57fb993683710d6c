using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.Voice;

/// <summary>The Agent page's phone-call section: speech provider selects ("deployment default" first) and the recording switch.</summary>
public sealed class AgentVoiceSettingsPageTests(PortalAppFactory app) : IClassFixture<PortalAppFactory>
{
    [Fact]
    public async Task AgentPage_OffersTheProviderChoices_AndTheRecordingSwitchWithItsConsentHelp()
    {
        var tenant = await app.CreateTenantAsync("Agent Page Providers Dental");
        var client = await app.SignInAsync(tenant.Email, tenant.Password);

        var html = await client.GetStringAsync("/agent");

        Assert.Contains("data-testid=\"agent-stt-provider\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"agent-tts-provider\"", html, StringComparison.Ordinal);
        Assert.Contains("Speech recognition", html, StringComparison.Ordinal);
        Assert.Contains("Speech synthesis", html, StringComparison.Ordinal);
        Assert.Contains("Record voice messages", html, StringComparison.Ordinal);
        Assert.Contains("CA, CT, FL, IL, MA, MD, MI, MT, NH, PA, WA", html, StringComparison.Ordinal);
    }
}
