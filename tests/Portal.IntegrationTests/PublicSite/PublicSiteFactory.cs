using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Identity;
using Portal.Domain.Affiliates;
using Portal.Fakes.Stripe;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.PublicSite;

/// <summary>
/// The app for the public-site tests: Stripe configured against <see cref="FakeStripeServer"/> (one-time Checkout for
/// enrolments, invoice and credit-note webhooks for commissions) and a <see cref="FakeTimeProvider"/> as the app's clock,
/// starting at the real time so the fake's webhook signatures are fresh.
/// </summary>
public sealed class PublicSiteFactory : PortalAppFactory
{
    public const string WebhookSecret = "whsec_test_public_site";

    public FakeStripeServer Stripe { get; private set; } = default!;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

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
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(l => l.AddProvider(Log));
        builder.UseSetting("Billing:TrialMinutes", "0");
        builder.UseFakeStripe(Stripe, WebhookSecret);
        builder.UseSetting("Stripe:BasePrices:Growth", "price_growth_base");
        builder.UseSetting("Stripe:MeteredPrices:PayAsYouGo", "price_payg_tenths");
        builder.UseSetting("Stripe:MeteredPrices:Growth", "price_growth_tenths");
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>Creates a user and an approved affiliate for them; returns the affiliate.</summary>
    public async Task<Affiliate> CreateAffiliateAsync(string email)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Affiliate " + email };
        var created = await users.CreateAsync(user, Password);
        Assert.True(created.Succeeded, string.Join(";", created.Errors.Select(e => e.Description)));
        var applications = scope.ServiceProvider.GetRequiredService<AffiliateApplications>();
        var affiliate = await applications.ApplyAsync(user.Id, "Affiliate " + email, email, "A blog about small business tools", PayoutMethod.PayPal, email, CancellationToken.None);
        await applications.DecideAsync(affiliate.Id, true, Clock.GetUtcNow(), CancellationToken.None);
        return (await applications.ForUserAsync(user.Id, CancellationToken.None))!;
    }

    /// <summary>Runs a query on a fresh context.</summary>
    public async Task<T> DbAsync<T>(Func<PortalDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        await using (db)
        {
            return await query(db);
        }
    }
}
