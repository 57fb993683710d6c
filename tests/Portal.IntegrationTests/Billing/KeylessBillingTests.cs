using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Billing.Jobs;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.Billing;

/// <summary>The Billing page without Stripe configured: local usage, a clear "not configured", and each business sees only its own usage.</summary>
public sealed class KeylessBillingTests(PortalAppFactory app) : IClassFixture<PortalAppFactory>
{
    [Fact]
    public async Task BillingPage_Keyless_ShowsLocalUsage_SaysStripeIsNotConfigured_AndIsTenantIsolated()
    {
        var busy = await app.CreateTenantAsync("Busy Keyless Dental");
        var quiet = await app.CreateTenantAsync("Quiet Keyless Dental");
        // 125 s = 21 tenths, 30 s = 5 tenths: 2.6 minutes for the busy business, none for the quiet one.
        await BillingTestData.AddEndedCallsAsync(app, busy, [(DateTimeOffset.UtcNow.AddMinutes(-3), 125), (DateTimeOffset.UtcNow.AddMinutes(-2), 30)]);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.Equal(2, await scope.ServiceProvider.GetRequiredService<RecordUsageJob>().RunAsync(CancellationToken.None));
        }

        var busyHtml = WebUtility.HtmlDecode(await (await app.SignInAsync(busy.Email, busy.Password)).GetStringAsync("/billing"));
        Assert.Contains("Stripe is not configured", busyHtml, StringComparison.Ordinal);
        Assert.Matches("data-testid=\"minutes-used\"[^>]*>\\s*2\\.6\\s*<", busyHtml);
        Assert.Contains("27.4 free trial min left", busyHtml, StringComparison.Ordinal); // the 30 trial minutes cover the 2.6 used

        var quietClient = await app.SignInAsync(quiet.Email, quiet.Password);
        var quietHtml = WebUtility.HtmlDecode(await quietClient.GetStringAsync("/billing"));
        Assert.Contains("No calls this period yet.", quietHtml, StringComparison.Ordinal);
        Assert.Contains("30.0 free trial min left", quietHtml, StringComparison.Ordinal);

        // Keyless: Checkout cannot start, and says why instead of failing.
        var checkout = await quietClient.GetAsync("/billing/checkout/Growth");
        Assert.Equal(HttpStatusCode.BadRequest, checkout.StatusCode);
        Assert.Contains("not configured", await checkout.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
