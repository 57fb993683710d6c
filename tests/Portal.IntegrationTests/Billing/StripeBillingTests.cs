using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Billing;
using Portal.Billing.Jobs;
using Portal.Billing.Stripe;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Numbers;
using Portal.Fakes.Stripe;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.Billing;

/// <summary>Stripe billing end to end against the fake Stripe: Checkout, meter events, webhooks, reconciliation, call limits.</summary>
public sealed class StripeBillingTests(StripeBillingFactory app) : IClassFixture<StripeBillingFactory>
{
    private async Task<T> RunAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    /// <summary>Subscribes the tenant to <paramref name="plan"/> through Checkout and the fake's hosted page; returns the customer id.</summary>
    private async Task<string> SubscribeAsync(TestTenant tenant, Plan plan)
    {
        var url = await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<BillingService>()
            .StartCheckoutAsync(plan, "http://portal.test/billing?checkout=success", "http://portal.test/billing", CancellationToken.None));
        Assert.NotNull(url);
        var seen = app.Stripe.Webhooks.Responses.Count;
        await app.Stripe.CompleteCheckoutAsync(new Uri(url).Segments[^1]);
        Assert.True(app.Stripe.Webhooks.Responses.Skip(seen).All(status => status == 200), app.Log.Dump());
        var outcomes = await RunAsync(sp => sp.GetRequiredService<PortalDbContext>().StripeWebhookEvents.Select(e => e.Type + ":" + e.Outcome).ToListAsync());
        Assert.DoesNotContain(outcomes, o => !o.EndsWith(":applied", StringComparison.Ordinal) && !o.EndsWith(":stale", StringComparison.Ordinal));
        var account = await BillingTestData.AccountAsync(app, tenant.TenantId);
        Assert.Equal("active", account!.SubscriptionStatus);
        return account.StripeCustomerId!;
    }

    private static IEnumerable<(DateTimeOffset, int)> MonthOfCalls(DateTimeOffset now, int count)
    {
        var start = BillingMath.CalendarMonth(now).Start;
        var span = (now.AddMinutes(-5) - start).TotalSeconds;
        for (var i = 0; i < count; i++)
        {
            yield return (start.AddSeconds(span * i / count), 7 + (i * 37 % 600));
        }
    }

    [Fact]
    public async Task Checkout_OwnerPaysOnTheHostedPage_ComesBackWithAnActivePlan_ThenSeesUsageOfTwoCalls()
    {
        var tenant = await app.CreateTenantAsync("Checkout Dental");
        var owner = await app.SignInAsync(tenant.Email, tenant.Password);

        var start = await owner.GetAsync("/billing/checkout/Growth");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var checkout = start.Headers.Location!;
        Assert.StartsWith(new Uri(app.Stripe.BaseUrl, "/checkout/cs_test_").ToString(), checkout.ToString(), StringComparison.Ordinal);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var seen = app.Stripe.Webhooks.Responses.Count;
        Assert.Contains("Subscribe", await browser.GetStringAsync(checkout), StringComparison.Ordinal);
        var paid = await browser.PostAsync(checkout + FakeStripeServer.PaySuffix, new FormUrlEncodedContent([new("card", "4242424242424242")]));
        Assert.Equal(HttpStatusCode.Redirect, paid.StatusCode);
        var back = paid.Headers.Location!;
        Assert.Equal("/billing", back.AbsolutePath);
        Assert.Contains("checkout=success", back.Query, StringComparison.Ordinal);

        var account = await BillingTestData.AccountAsync(app, tenant.TenantId);
        Assert.Equal("active", account!.SubscriptionStatus);
        Assert.Equal(Plan.Growth, account.SubscribedPlan);
        Assert.True(account.HasPaymentMethod);
        Assert.Equal([200, 200, 200, 200], app.Stripe.Webhooks.Responses.Skip(seen));
        var html = WebUtility.HtmlDecode(await owner.GetStringAsync(back.PathAndQuery));
        Assert.Contains("Growth", html, StringComparison.Ordinal);
        Assert.Contains("Subscription active", html, StringComparison.Ordinal);
        Assert.Contains("A card is on file.", html, StringComparison.Ordinal);
        Assert.Contains("/invoice/in_", html, StringComparison.Ordinal); // the PDF link of the first invoice

        // Two calls in the new billing period (it started at checkout).
        await BillingTestData.AddEndedCallsAsync(app, tenant, [(DateTimeOffset.UtcNow, 90), (DateTimeOffset.UtcNow.AddSeconds(1), 61)]);
        await RunAsync(sp => sp.GetRequiredService<RecordUsageJob>().RunAsync(CancellationToken.None));
        html = WebUtility.HtmlDecode(await owner.GetStringAsync("/billing"));
        // 90 s = 15 tenths, 61 s = 11 tenths (6-second increments): 2.6 of the 2,000 included minutes.
        Assert.Contains("2.6 of 2,000.0", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanChange_UpgradeThenDowngrade_UpdatesTheSubscriptionInPlaceWithProrations_AndThePlanFollowsTheWebhook()
    {
        var tenant = await app.CreateTenantAsync("Upgrade Dental");
        var customer = await SubscribeAsync(tenant, Plan.Growth);
        var owner = await app.SignInAsync(tenant.Email, tenant.Password);
        var subscriptionId = (string)app.Stripe.SubscriptionOf(customer)!["id"]!;

        foreach (var (plan, prices) in new[] { (Plan.Enterprise, new[] { "price_enterprise_base", "price_enterprise_tenths" }), (Plan.Growth, ["price_growth_base", "price_growth_tenths"]) })
        {
            var response = await owner.GetAsync($"/billing/checkout/{plan}");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal($"/billing?changed={plan}", response.Headers.Location!.ToString()); // no second Checkout: the subscription changes in place

            var subscription = app.Stripe.SubscriptionOf(customer)!;
            Assert.Equal(subscriptionId, (string)subscription["id"]!);
            Assert.Equal("create_prorations", (string?)subscription["_proration_behavior"]);
            Assert.Equal(prices, subscription["items"]!["data"]!.AsArray().Select(i => (string)i!["price"]!["id"]!).Order());
            // customer.subscription.updated reaches the app just after Stripe answers the update: wait for it.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while ((await BillingTestData.AccountAsync(app, tenant.TenantId))!.SubscribedPlan != plan)
            {
                await Task.Delay(50, timeout.Token);
            }

            Assert.Equal(plan, await RunAsync(sp => sp.GetRequiredService<PortalDbContext>().Tenants.IgnoreQueryFilters().Where(t => t.Id == tenant.TenantId).Select(t => t.Plan).SingleAsync()));
        }
    }

    [Fact]
    public async Task CustomerPortal_EachOwnerIsSentToTheirOwnCustomersPortal_AndComesBackToBilling()
    {
        var first = await app.CreateTenantAsync("Portal One Dental");
        var second = await app.CreateTenantAsync("Portal Two Dental");
        var firstCustomer = await SubscribeAsync(first, Plan.Growth);
        var secondCustomer = await SubscribeAsync(second, Plan.PayAsYouGo);

        foreach (var (tenant, customer) in new[] { (first, firstCustomer), (second, secondCustomer) })
        {
            var owner = await app.SignInAsync(tenant.Email, tenant.Password);
            var response = await owner.GetAsync("/billing/portal");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var url = response.Headers.Location!.ToString();
            Assert.StartsWith(new Uri(app.Stripe.BaseUrl, "/portal/bps_").ToString(), url, StringComparison.Ordinal);
            var session = Assert.Single(app.Stripe.PortalSessions, s => (string)s["url"]! == url);
            Assert.Equal(customer, (string)session["customer"]!);
            Assert.EndsWith("/billing", (string)session["return_url"]!, StringComparison.Ordinal);
        }

        Assert.NotEqual(firstCustomer, secondCustomer);
    }

    [Fact]
    public async Task MeterEvents_MonthOfCalls_AreReportedOnceEach_EvenWhenTheJobRetries()
    {
        var tenant = await app.CreateTenantAsync("Metered Dental");
        var customer = await SubscribeAsync(tenant, Plan.PayAsYouGo);
        var ids = await BillingTestData.AddEndedCallsAsync(app, tenant, MonthOfCalls(DateTimeOffset.UtcNow, 60));

        // Stripe accepts the next events but the responses are lost: the first run fails on some and must resend them.
        app.Stripe.FailMeterEventsAfterStoring(ids.Where((_, i) => i % 9 == 0).Select(i => i.ToString()));
        var first = await RunAsync(sp => sp.GetRequiredService<ReportMeterEventsJob>().RunAsync(CancellationToken.None));
        app.Stripe.StopFailing();
        var second = await RunAsync(sp => sp.GetRequiredService<ReportMeterEventsJob>().RunAsync(CancellationToken.None));
        var requestsAfterSecond = app.Stripe.MeterEventRequests;
        var third = await RunAsync(sp => sp.GetRequiredService<ReportMeterEventsJob>().RunAsync(CancellationToken.None));

        Assert.Equal(7, first.Failed); // calls 0, 9, …, 54
        Assert.Equal(first.Failed, second.Sent);
        Assert.Equal(0, third.Sent + third.Failed);
        Assert.Equal(requestsAfterSecond, app.Stripe.MeterEventRequests);
        var events = app.Stripe.MeterEvents.Where(e => e.Customer == customer).ToList();
        Assert.Equal(ids.Select(i => i.ToString()).Order(), events.Select(e => e.Identifier).Order());
        var usage = await RunAsync(sp => sp.GetRequiredService<PortalDbContext>().UsageRecords.IgnoreQueryFilters().AsNoTracking()
            .Where(u => u.TenantId == tenant.TenantId).ToListAsync());
        Assert.Equal(60, usage.Count);
        Assert.All(usage, u => Assert.NotNull(u.MeterReportedAt));
        foreach (var u in usage)
        {
            Assert.Equal(BillingMath.Tenths(u.BillableSeconds), u.BillableTenths);
            Assert.Equal(u.BillableTenths, events.Single(e => e.Identifier == u.ConversationId.ToString()).Value);
            Assert.Equal(u.StartedAt.ToUnixTimeSeconds(), events.Single(e => e.Identifier == u.ConversationId.ToString()).Timestamp);
        }

        // Recording again creates nothing new: one usage record per call.
        Assert.Equal(0, await RunAsync(sp => sp.GetRequiredService<RecordUsageJob>().RunAsync(CancellationToken.None)));
    }

    [Fact]
    public async Task Webhooks_DuplicateAndOutOfOrder_ChangeNothing()
    {
        var tenant = await app.CreateTenantAsync("Webhook Order Dental");
        var customer = await SubscribeAsync(tenant, Plan.Growth);
        var subscription = app.Stripe.SubscriptionOf(customer)!;
        var now = DateTimeOffset.UtcNow;

        var pastDue = (JsonObject)subscription.DeepClone();
        pastDue["status"] = "past_due";
        var (updatedId, status) = await app.Stripe.Webhooks.SendAsync("customer.subscription.updated", pastDue, now.AddSeconds(30));
        Assert.Equal(200, status);
        var afterUpdate = await BillingTestData.AccountAsync(app, tenant.TenantId);
        Assert.Equal("past_due", afterUpdate!.SubscriptionStatus);
        var eventsBefore = await RunAsync(sp => sp.GetRequiredService<PortalDbContext>().StripeWebhookEvents.CountAsync());

        // An older event arriving late, and a redelivery of the newest one.
        var active = (JsonObject)subscription.DeepClone();
        active["status"] = "active";
        Assert.Equal(200, (await app.Stripe.Webhooks.SendAsync("customer.subscription.updated", active, now.AddSeconds(-60))).Status);
        Assert.Equal(200, await app.Stripe.Webhooks.ResendAsync(updatedId));

        var after = await BillingTestData.AccountAsync(app, tenant.TenantId);
        Assert.Equal("past_due", after!.SubscriptionStatus);
        Assert.Equal(afterUpdate.SubscriptionEventCreated, after.SubscriptionEventCreated);
        Assert.Equal(afterUpdate.UpdatedAt, after.UpdatedAt);
        var stored = await RunAsync(sp => sp.GetRequiredService<PortalDbContext>().StripeWebhookEvents.OrderByDescending(e => e.ReceivedAt).ToListAsync());
        Assert.Equal(eventsBefore + 1, stored.Count); // the stale one is stored (as stale); the duplicate is not
        Assert.Equal("stale", stored[0].Outcome);

        // invoice.paid then a late invoice.payment_failed of the same invoice: paid stays paid and nothing is past due.
        var invoice = await app.Stripe.FailPaymentAsync(customer, 30_000);
        var failed = await BillingTestData.AccountAsync(app, tenant.TenantId);
        Assert.NotNull(failed!.PastDueSince);
        var paidInvoice = (JsonObject)invoice.DeepClone();
        paidInvoice["status"] = "paid";
        paidInvoice["amount_paid"] = 30_000;
        await app.Stripe.Webhooks.SendAsync("invoice.paid", paidInvoice);
        await app.Stripe.Webhooks.SendAsync("invoice.payment_failed", invoice, now.AddSeconds(-5));
        var settled = await BillingTestData.AccountAsync(app, tenant.TenantId);
        Assert.Null(settled!.PastDueSince);
        var row = await RunAsync(sp => sp.GetRequiredService<PortalDbContext>().BillingInvoices.IgnoreQueryFilters().SingleAsync(i => i.StripeInvoiceId == (string)invoice["id"]!));
        Assert.Equal("paid", row.Status);
        Assert.False(row.PaymentFailed);
    }

    [Fact]
    public async Task Webhook_ForgedOrStaleSignature_Gets400_AndChangesNothing()
    {
        var tenant = await app.CreateTenantAsync("Forged Dental");
        var customer = await SubscribeAsync(tenant, Plan.Growth);
        var before = await BillingTestData.AccountAsync(app, tenant.TenantId);
        var count = await RunAsync(sp => sp.GetRequiredService<PortalDbContext>().StripeWebhookEvents.CountAsync());
        var forged = (JsonObject)app.Stripe.SubscriptionOf(customer)!.DeepClone();
        forged["status"] = "canceled";
        var payload = new JsonObject
        {
            ["id"] = "evt_forged_1", ["object"] = "event", ["api_version"] = StripeWebhookSender.ApiVersion, ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["type"] = "customer.subscription.deleted", ["data"] = new JsonObject { ["object"] = forged }, ["livemode"] = false,
        }.ToJsonString();

        Assert.Equal(400, await app.Stripe.Webhooks.SendRawAsync(payload, StripeWebhookSender.Sign(payload, DateTimeOffset.UtcNow, "whsec_someone_else")));
        Assert.Equal(400, await app.Stripe.Webhooks.SendRawAsync(payload, app.Stripe.Webhooks.Sign(payload, DateTimeOffset.UtcNow.AddMinutes(-10))));
        Assert.Equal(400, await app.Stripe.Webhooks.SendRawAsync(payload, "t=1,v1=00"));
        Assert.Equal(400, await app.Stripe.Webhooks.SendRawAsync(payload + " ", app.Stripe.Webhooks.Sign(payload, DateTimeOffset.UtcNow)));

        var after = await BillingTestData.AccountAsync(app, tenant.TenantId);
        Assert.Equal("active", after!.SubscriptionStatus);
        Assert.Equal(before!.UpdatedAt, after.UpdatedAt);
        Assert.Equal(count, await RunAsync(sp => sp.GetRequiredService<PortalDbContext>().StripeWebhookEvents.CountAsync()));
        // The same payload correctly signed is accepted: the 400s were about the signature only.
        Assert.Equal(200, await app.Stripe.Webhooks.SendRawAsync(payload, app.Stripe.Webhooks.Sign(payload, DateTimeOffset.UtcNow)));
        Assert.Equal("canceled", (await BillingTestData.AccountAsync(app, tenant.TenantId))!.SubscriptionStatus);
    }

    [Fact]
    public async Task Reconciliation_FindsAPlantedDrift_OnceAndTellsTheAdmins()
    {
        var tenant = await app.CreateTenantAsync("Drift Dental");
        var customer = await SubscribeAsync(tenant, Plan.PayAsYouGo);
        var now = DateTimeOffset.UtcNow;
        await BillingTestData.AddEndedCallsAsync(app, tenant, MonthOfCalls(now, 12));
        await RunAsync(sp => sp.GetRequiredService<ReportMeterEventsJob>().RunAsync(CancellationToken.None));
        var start = BillingMath.CalendarMonth(now).Start;
        var end = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(1);

        var clean = await RunAsync(sp => sp.GetRequiredService<BillingReconciler>().ReconcileAsync(start, end, CancellationToken.None));
        Assert.DoesNotContain(clean, f => f.TenantId == tenant.TenantId);

        app.Stripe.PlantMeterEvent(customer, 50, now.AddMinutes(-2));
        var found = await RunAsync(sp => sp.GetRequiredService<BillingReconciler>().ReconcileAsync(start, end, CancellationToken.None));
        var finding = Assert.Single(found, f => f.TenantId == tenant.TenantId);
        Assert.Equal(finding.LocalTenths + 50, finding.StripeTenths);
        var again = await RunAsync(sp => sp.GetRequiredService<BillingReconciler>().ReconcileAsync(start, end, CancellationToken.None));
        Assert.DoesNotContain(again, f => f.TenantId == tenant.TenantId);
        var mail = await RunAsync(sp => sp.GetRequiredService<PortalDbContext>().OutboxMessages.Where(m => m.Category == BillingOutboxCategories.Drift).ToListAsync());
        Assert.Contains(mail, m => m.Body.Contains(tenant.TenantId.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task SpendingCap_ReachedMidMonth_NextCallHearsTheMessageAndLeavesAVoicemail()
    {
        var tenant = await app.CreateTenantAsync("Capped Dental");
        var number = (await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<NumberPool>().HeldByAsync(tenant.TenantId, CancellationToken.None)))!.E164;
        await app.InTenantAsync(tenant.TenantId, async sp => { await sp.GetRequiredService<BillingService>().SetSpendingCapAsync(100, CancellationToken.None); return 0; });
        var client = app.CreateClient();
        var now = DateTimeOffset.UtcNow;

        // 4 minutes at 20 cents = 80 cents of a $1 cap: answered by the agent, and the owner is warned (80 %).
        await BillingTestData.AddEndedCallsAsync(app, tenant, [(now.AddMinutes(-50), 240)]);
        await RunAsync(sp => sp.GetRequiredService<RecordUsageJob>().RunAsync(CancellationToken.None));
        var answered = await BillingTestData.PlaceCallAsync(client, StripeBillingFactory.AuthToken, number);
        var answeredBody = await answered.Content.ReadAsStringAsync();
        Assert.True(answered.StatusCode == HttpStatusCode.OK, $"{(int)answered.StatusCode}: {answeredBody}");
        var before = XDocument.Parse(answeredBody);
        Assert.True(before.Root!.Element("Connect") is not null, before.ToString());

        // Three more minutes: $1.40, the cap is reached.
        await BillingTestData.AddEndedCallsAsync(app, tenant, [(now.AddMinutes(-20), 180)]);
        await RunAsync(sp => sp.GetRequiredService<RecordUsageJob>().RunAsync(CancellationToken.None));
        var response = await BillingTestData.PlaceCallAsync(client, StripeBillingFactory.AuthToken, number);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var twiml = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(CallLimits.VoicemailMessage, twiml.Root!.Element("Say")!.Value);
        var record = twiml.Root.Element("Record")!;
        Assert.Equal("/twilio/limited-voicemail", record.Attribute("action")!.Value);
        Assert.Null(twiml.Root.Element("Connect"));

        var mail = await RunAsync(sp => sp.GetRequiredService<PortalDbContext>().OutboxMessages.Where(m => m.TenantId == tenant.TenantId).ToListAsync());
        Assert.Single(mail, m => m.Category == BillingOutboxCategories.CapWarning && m.To == tenant.Email);
        Assert.Single(mail, m => m.Category == BillingOutboxCategories.Limited && m.To == tenant.Email);
        var owner = await app.SignInAsync(tenant.Email, tenant.Password);
        Assert.Contains("billing-limit-banner", await owner.GetStringAsync("/"), StringComparison.Ordinal);

        // The owner prefers forwarding: the next call hears the short message and is dialled through to the business's number.
        await app.InTenantAsync(tenant.TenantId, async sp => { await sp.GetRequiredService<BillingService>().SetLimitActionAsync(Portal.Data.Entities.LimitAction.Forward, CancellationToken.None); return 0; });
        var forwarded = XDocument.Parse(await (await BillingTestData.PlaceCallAsync(client, StripeBillingFactory.AuthToken, number)).Content.ReadAsStringAsync());
        Assert.Equal("+12125550188", forwarded.Root!.Element("Dial")!.Value.Trim());
    }
}
