using Microsoft.AspNetCore.Hosting;
using Portal.Fakes.Stripe;

namespace Portal.IntegrationTests.Infrastructure;

/// <summary>
/// The set-up every app factory with Stripe shares (billing, agencies, public site): the app's Stripe.net client calls
/// <see cref="FakeStripeServer"/> over real HTTP on 127.0.0.1, and the fake's signed webhooks enter the app through its
/// HTTP pipeline at <c>/stripe/webhook</c>.
/// </summary>
internal static class FakeStripeWiring
{
    /// <summary>Sends the fake's webhooks to the app's <c>/stripe/webhook</c> through <paramref name="appClient"/>.</summary>
    public static void DeliverWebhooksTo(this FakeStripeServer stripe, HttpClient appClient)
    {
        stripe.Webhooks.Client = appClient;
        stripe.Webhooks.Target = new Uri(appClient.BaseAddress!, "/stripe/webhook");
    }

    /// <summary>Points the app's Stripe settings (secret key, webhook signing secret, API base) at <paramref name="stripe"/>.</summary>
    public static void UseFakeStripe(this IWebHostBuilder builder, FakeStripeServer stripe, string webhookSecret, string secretKey = "sk_test_portal_fake")
    {
        builder.UseSetting("Stripe:SecretKey", secretKey);
        builder.UseSetting("Stripe:WebhookSecret", webhookSecret);
        builder.UseSetting("Stripe:ApiBase", stripe.BaseUrl.ToString());
    }
}
