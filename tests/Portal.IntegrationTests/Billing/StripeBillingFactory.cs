using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Fakes.Stripe;
using Portal.IntegrationTests.Infrastructure;
using Portal.Voice.Twilio;

namespace Portal.IntegrationTests.Billing;

/// <summary>
/// The app with Stripe configured against <see cref="FakeStripeServer"/> on 127.0.0.1: Stripe.net calls the
/// fake over real HTTP, and the fake's signed webhooks go through the app's HTTP pipeline to <c>/stripe/webhook</c>.
/// </summary>
public class StripeBillingFactory : PortalAppFactory
{
    public const string WebhookSecret = "whsec_test_portal_billing";
    public const string MeterId = "mtr_test_minutes";
    public const string AuthToken = "0123456789abcdef0123456789abcdef";

    public FakeStripeServer Stripe { get; private set; } = default!;

    /// <summary>Free trial minutes of a new business (<c>Billing:TrialMinutes</c>); none unless a test is about the trial.</summary>
    protected virtual int TrialMinutes => 0;

    /// <summary>The app's warnings and errors, for failure messages.</summary>
    public ServerLog Log { get; } = new();

    public override async Task InitializeAsync()
    {
        Stripe = await FakeStripeServer.StartAsync(null, WebhookSecret);
        await base.InitializeAsync();
        Stripe.DeliverWebhooksTo(CreateClient());
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
        builder.ConfigureLogging(l => l.AddProvider(Log));
        builder.UseSetting("Telephony:AuthToken", AuthToken);
        builder.UseSetting("Billing:TrialMinutes", TrialMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseFakeStripe(Stripe, WebhookSecret);
        builder.UseSetting("Stripe:MeterId", MeterId);
        builder.UseSetting("Stripe:BasePrices:Growth", "price_growth_base");
        builder.UseSetting("Stripe:BasePrices:Enterprise", "price_enterprise_base");
        builder.UseSetting("Stripe:MeteredPrices:PayAsYouGo", "price_payg_tenths");
        builder.UseSetting("Stripe:MeteredPrices:Growth", "price_growth_tenths");
        builder.UseSetting("Stripe:MeteredPrices:Enterprise", "price_enterprise_tenths");
    }
}

/// <summary>Helpers shared by the billing tests: ended calls written straight to the database, the billing account, a signed voice webhook.</summary>
internal static class BillingTestData
{
    /// <summary>Adds ended voice calls for the tenant at the given start times and durations (seconds).</summary>
    public static async Task<List<Guid>> AddEndedCallsAsync(PortalAppFactory app, TestTenant tenant, IEnumerable<(DateTimeOffset At, int Seconds)> calls)
    {
        return await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            var db = sp.GetRequiredService<PortalDbContext>();
            var ids = new List<Guid>();
            foreach (var (at, seconds) in calls)
            {
                var c = new Conversation
                {
                    TenantId = tenant.TenantId, AgentPersonaId = tenant.AgentId, Channel = Channel.Voice, StartedAt = at, EndedAt = at.AddSeconds(seconds),
                    DurationSeconds = seconds, CallStatus = "completed", CallSid = "CA" + Guid.NewGuid().ToString("N"), Outcome = ConversationOutcome.Answered, TurnCount = 2,
                };
                db.Conversations.Add(c);
                ids.Add(c.Id);
            }

            await db.SaveChangesAsync();
            return ids;
        });
    }

    /// <summary>The tenant's billing account, read fresh.</summary>
    public static async Task<BillingAccount?> AccountAsync(PortalAppFactory app, Guid tenantId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().BillingAccounts.IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(a => a.TenantId == tenantId);
    }

    /// <summary>Posts a Twilio-signed voice webhook for a new call to <paramref name="to"/>.</summary>
    public static async Task<HttpResponseMessage> PlaceCallAsync(HttpClient client, string authToken, string to)
    {
        var form = new Dictionary<string, string> { ["CallSid"] = "CA" + Guid.NewGuid().ToString("N"), ["CallStatus"] = "ringing", ["From"] = "+12125550100", ["To"] = to };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/twilio/voice") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.HeaderName, Portal.Fakes.Twilio.TwilioRequestSigner.Sign(authToken, new Uri(client.BaseAddress!, "/twilio/voice").ToString(),
            form.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))));
        return await client.SendAsync(request);
    }
}
