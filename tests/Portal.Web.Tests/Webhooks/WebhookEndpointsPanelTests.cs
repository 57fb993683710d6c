using Bunit;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Components.Pages.Agency.Components;
using Portal.Domain.Webhooks;
using Portal.Web.Components.Pages.Settings.Components;
using Portal.Web.Components.Shared.Webhooks;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Webhooks;

/// <summary>
/// The shared webhook editor on the real services, as the owner's Settings → Webhooks tab and the agency's client page
/// render it: empty state, a blank or refused URL stores nothing, and an agency without access to the client sees an
/// error instead of the client's endpoints.
/// </summary>
public sealed class WebhookEndpointsPanelTests : PortalTestContext, IClassFixture<PortalServicesFixture>
{
    private readonly PortalServicesFixture _app;

    public WebhookEndpointsPanelTests(PortalServicesFixture fixture)
        : base(fixture) => _app = fixture;

    private async Task<IRenderedComponent<WebhooksTab>> RenderOwnerTabAsync(string business)
    {
        await _app.CreateTenantAsync(business);
        RenderWithProviders();
        return Render<WebhooksTab>();
    }

    [Fact]
    public async Task NewBusiness_ShowsTheEmptyState_AndTheOwnersIds()
    {
        var cut = await RenderOwnerTabAsync("Webhook Empty Dental");

        cut.WaitForElement("[data-testid=webhooks-empty]");
        Assert.Empty(cut.FindAll("[data-testid=webhooks-table]"));
        Assert.Single(cut.FindAll("#webhook-url"));
    }

    [Fact]
    public async Task BlankUrl_ShowsItsValidationMessage_AndStoresNothing()
    {
        var cut = await RenderOwnerTabAsync("Webhook Blank Dental");
        cut.WaitForElement("[data-testid=webhooks-empty]");

        cut.ClickSettled("[data-testid=webhook-add]");

        cut.WaitForAssertion(() => Assert.Contains("Enter the URL events are sent to.", cut.Markup, StringComparison.Ordinal));
        Assert.Equal(0, await _app.DbAsync(db => db.WebhookEndpoints.CountAsync()));
    }

    [Fact]
    public async Task PlainHttpUrl_IsRefusedWithTheServicesReason_AndStoresNothing()
    {
        var cut = await RenderOwnerTabAsync("Webhook Refused Dental");
        cut.WaitForElement("[data-testid=webhooks-empty]");

        await cut.Input("webhook-url").ChangeAsync("http://127.0.0.1:9/hooks");
        cut.ClickSettled("[data-testid=webhook-add]");

        cut.WaitForAssertion(() => Assert.Contains("https://", cut.Find("[data-testid=webhook-form-error]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=webhook-secret-alert]"));
        Assert.Equal(0, await _app.DbAsync(db => db.WebhookEndpoints.CountAsync()));
    }

    [Fact]
    public async Task AgencyClientPanel_WithoutAccess_ShowsAnError_NotTheClientsEndpoints()
    {
        var client = await _app.CreateTenantAsync("Webhook Agency Client Dental");
        RenderWithProviders();

        var cut = Render<ClientWebhooks>(p => p.Add(c => c.TenantId, client));

        cut.WaitForElement("[data-testid=client-webhooks] [data-testid=error]");
        Assert.Single(cut.FindAll("#client-webhook-url"));
        Assert.Empty(cut.FindAll("[data-testid=client-webhooks-table]"));
    }

    [Fact]
    public async Task SendTest_WhenTheDatabaseFails_SaysSo_AndThePageStaysUsable()
    {
        var endpoints = new FailingEndpoints();
        var providers = RenderWithProviders();
        var cut = Render<WebhookEndpointsPanel>(p => p.Add(c => c.Endpoints, endpoints));
        cut.WaitForElement("[data-testid=webhooks-table]");

        await cut.Find("[data-testid=webhook-test]").ClickAsync(new());

        providers.WaitForAssertion(() => Assert.Contains("The test event could not be queued. Please try again.", providers.Markup, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=webhook-deliveries-table]"));
        await cut.Find("[data-testid=webhook-deliveries]").ClickAsync(new());
        cut.WaitForElement("[data-testid=webhook-no-deliveries]");
    }

    /// <summary>One endpoint whose test event fails as a database under load does (a command timeout).</summary>
    private sealed class FailingEndpoints : IWebhookEndpoints
    {
        private readonly WebhookEndpointInfo _endpoint = new(Guid.NewGuid(), "https://crm.example.com/hooks", null, [WebhookEventTypes.BookingCreated], true, DateTimeOffset.UtcNow, null, null);

        public Task<IReadOnlyList<WebhookEndpointInfo>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<WebhookEndpointInfo>>([_endpoint]);

        public Task<(WebhookEndpointInfo Endpoint, string Secret)> CreateAsync(string url, string? description, IEnumerable<string> events, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<bool> SetEnabledAsync(Guid endpointId, bool enabled, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<bool> DeleteAsync(Guid endpointId, CancellationToken cancellationToken) => Task.FromResult(true);

        public async Task<Guid?> SendTestAsync(Guid endpointId, CancellationToken cancellationToken)
        {
            await Task.Yield();
            throw new TimeoutException("Timeout during reading attempt");
        }

        public Task<IReadOnlyList<WebhookDeliveryInfo>> DeliveriesAsync(Guid endpointId, int limit, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<WebhookDeliveryInfo>>([]);
    }
}
