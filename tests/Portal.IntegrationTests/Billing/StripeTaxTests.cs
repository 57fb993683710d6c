using Microsoft.Extensions.Options;
using Portal.Billing;
using Portal.Billing.Stripe;
using Portal.Fakes.Stripe;
using Stripe;
using Plan = Portal.Data.Entities.Plan;
using Stripe.Checkout;

namespace Portal.IntegrationTests.Billing;

/// <summary>
/// Stripe Tax on or off by configuration (<c>Stripe:AutomaticTax</c>): the real <see cref="StripeGateway"/> (Stripe.net)
/// creates Checkout sessions on the fake Stripe, which applies Stripe's rule that automatic tax needs the customer's
/// address (or <c>customer_update[address]=auto</c>).
/// </summary>
public sealed class StripeTaxTests : IAsyncLifetime
{
    private FakeStripeServer _stripe = default!;

    public async Task InitializeAsync() => _stripe = await FakeStripeServer.StartAsync(null, "whsec_tax");

    public async Task DisposeAsync() => await _stripe.DisposeAsync();

    private sealed class Clients : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new();
    }

    private StripeGateway Gateway(bool automaticTax) => new(Options.Create(new StripeOptions
    {
        SecretKey = "sk_test_tax",
        ApiBase = _stripe.BaseUrl.ToString(),
        AutomaticTax = automaticTax,
        BasePrices = { ["Growth"] = "price_growth_base" },
        MeteredPrices = { ["Growth"] = "price_growth_tenths" },
    }), new Clients());

    private async Task<(string SessionId, System.Text.Json.Nodes.JsonObject Session)> CheckoutAsync(StripeGateway gateway)
    {
        var tenantId = Guid.NewGuid();
        var customer = await gateway.CreateCustomerAsync(tenantId, "Tax Dental", "owner@tax.test", CancellationToken.None);
        var url = await gateway.CreateCheckoutAsync(tenantId, customer, Plan.Growth, "http://portal.test/billing?checkout=success", "http://portal.test/billing", CancellationToken.None);
        var id = new Uri(url).Segments[^1];
        return (id, _stripe.CheckoutSession(id)!);
    }

    [Fact]
    public async Task Checkout_WithAutomaticTaxOn_AsksStripeTaxToCollectTheAddress_AndTheSubscriptionIsTaxed()
    {
        var (id, session) = await CheckoutAsync(Gateway(automaticTax: true));

        Assert.True((bool)session["automatic_tax"]!["enabled"]!);
        Assert.Equal("auto", (string?)session["_customer_update_address"]);
        await _stripe.CompleteCheckoutAsync(id);
        var subscription = _stripe.SubscriptionOf((string)session["customer"]!)!;
        Assert.True((bool)subscription["automatic_tax"]!["enabled"]!);
    }

    [Fact]
    public async Task Checkout_WithAutomaticTaxOff_SendsNoTaxParameters()
    {
        var (_, session) = await CheckoutAsync(Gateway(automaticTax: false));

        Assert.False((bool)session["automatic_tax"]!["enabled"]!);
        Assert.Equal("", (string?)session["_customer_update_address"]);
    }

    [Fact]
    public async Task FakeStripe_RefusesAutomaticTax_WithoutTheCustomersAddress_AsStripeDoes()
    {
        var client = new StripeClient("sk_test_tax", apiBase: _stripe.BaseUrl.ToString().TrimEnd('/'));
        var customer = await new CustomerService(client).CreateAsync(new CustomerCreateOptions { Name = "No Address Dental" });

        var error = await Assert.ThrowsAsync<StripeException>(() => new SessionService(client).CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription",
            Customer = customer.Id,
            LineItems = [new SessionLineItemOptions { Price = "price_growth_tenths" }],
            SuccessUrl = "http://portal.test/billing",
            AutomaticTax = new SessionAutomaticTaxOptions { Enabled = true },
        }));
        Assert.Contains("customer_update[address]", error.StripeError.Message, StringComparison.Ordinal);
    }
}
