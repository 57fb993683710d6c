using Microsoft.AspNetCore.Hosting;
using Portal.Fakes.Stripe;

namespace Portal.IntegrationTests.Agencies;

/// <summary>
/// The agency app with Stripe configured against <see cref="FakeStripeServer"/> on 127.0.0.1, including the reseller
/// tiers' prices (a licensed price per client and a metered overage price per tier); the fake's signed webhooks reach
/// the app's <c>/stripe/webhook</c> through its HTTP pipeline.
/// </summary>
public sealed class AgencyStripeFactory : AgencyAppFactory
{
    public const string WebhookSecret = "whsec_test_portal_agencies";

    public FakeStripeServer Stripe { get; private set; } = default!;

    /// <summary>The licensed price id of a tier (by name).</summary>
    public static string TierPrice(string tier) => "price_agency_" + tier.ToLowerInvariant();

    /// <summary>The metered overage price id of a tier (by name).</summary>
    public static string OveragePrice(string tier) => "price_agency_overage_" + tier.ToLowerInvariant();

    public override async Task InitializeAsync()
    {
        Stripe = await FakeStripeServer.StartAsync(null, WebhookSecret);
        await base.InitializeAsync();
        Stripe.Webhooks.Client = CreateClient();
        Stripe.Webhooks.Target = new Uri(Stripe.Webhooks.Client.BaseAddress!, "/stripe/webhook");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Stripe is not null)
        {
            await Stripe.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Stripe:SecretKey", "sk_test_portal_agencies");
        builder.UseSetting("Stripe:WebhookSecret", WebhookSecret);
        builder.UseSetting("Stripe:ApiBase", Stripe.BaseUrl.ToString());
        builder.UseSetting("Stripe:MeterId", "mtr_test_agencies");
        foreach (var tier in new[] { "Starter", "Growth", "Enterprise" })
        {
            builder.UseSetting($"Stripe:Agency:TierPrices:{tier}", TierPrice(tier));
            builder.UseSetting($"Stripe:Agency:OveragePrices:{tier}", OveragePrice(tier));
        }
    }
}
