using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Billing;
using Portal.Billing.Jobs;
using Portal.Billing.Stripe;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.IntegrationTests.Billing;

/// <summary><see cref="StripeBillingFactory"/> with a 5-minute free trial for every new business.</summary>
public sealed class TrialStripeBillingFactory : StripeBillingFactory
{
    /// <summary>Trial minutes of a new business.</summary>
    public const int Trial = 5;

    /// <inheritdoc />
    protected override int TrialMinutes => Trial;
}

/// <summary>The free trial is free at Stripe too: the meter gets only what the local bill charges, and reconciliation agrees.</summary>
public sealed class TrialMeteringTests(TrialStripeBillingFactory app) : IClassFixture<TrialStripeBillingFactory>
{
    private async Task<T> RunAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    private Task<MeterReportResult> ReportAsync() => RunAsync(sp => sp.GetRequiredService<ReportMeterEventsJob>().RunAsync(CancellationToken.None));

    [Fact]
    public async Task TrialMinutes_AreNeverMetered_EvenWhenAnEarlierCallEndsLate_AndStripeMatchesTheLocalBillAndReconciliation()
    {
        var tenant = await app.CreateTenantAsync("Trial Dental");
        await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<BillingService>().PortalUrlAsync("http://portal.test/billing", CancellationToken.None));
        var account = (await BillingTestData.AccountAsync(app, tenant.TenantId))!;
        Assert.Equal(TrialStripeBillingFactory.Trial, account.TrialMinutes);
        var customer = account.StripeCustomerId!;
        var now = DateTimeOffset.UtcNow;
        var (monthStart, monthEnd) = BillingMath.CalendarMonth(now);
        var first = now.AddMinutes(-30) > monthStart ? now.AddMinutes(-30) : monthStart;

        // 20 + 25 + 30 + 12 tenths ended; a call that started second is still in progress.
        var ids = await BillingTestData.AddEndedCallsAsync(app, tenant,
            [(first, 120), (first.AddMinutes(2), 150), (first.AddMinutes(3), 180), (first.AddMinutes(4), 72)]);
        var (a, b, c, d) = (ids[0].ToString(), ids[1].ToString(), ids[2].ToString(), ids[3].ToString());
        var inProgress = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            var db = sp.GetRequiredService<PortalDbContext>();
            var call = new Conversation
            {
                TenantId = tenant.TenantId, AgentPersonaId = tenant.AgentId, Channel = Channel.Voice, StartedAt = first.AddMinutes(1),
                CallSid = "CA" + Guid.NewGuid().ToString("N"), CallStatus = "in-progress",
            };
            db.Conversations.Add(call);
            await db.SaveChangesAsync();
            return call.Id;
        });

        // The first call is within the trial (free, nothing sent); the last is past it (sent whole). The two after the
        // call in progress wait: that call started earlier, so it takes the trial before them.
        var firstRun = await ReportAsync();
        Assert.Equal((1, 1, 2, 0), (firstRun.Sent, firstRun.Free, firstRun.Held, firstRun.Failed));
        Assert.Equal([(d, 12L)], Received());
        Assert.DoesNotContain(await ReconcileAsync(monthStart, monthEnd), f => f.TenantId == tenant.TenantId);

        // The call in progress ends (60 s = 10 tenths): the trial's 50 tenths are 20 + 10 + 20 of the 25, so 5 and 30 are sent.
        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            var db = sp.GetRequiredService<PortalDbContext>();
            var call = await db.Conversations.SingleAsync(x => x.Id == inProgress);
            (call.EndedAt, call.DurationSeconds, call.CallStatus) = (call.StartedAt.AddSeconds(60), 60, "completed");
            return await db.SaveChangesAsync();
        });
        var secondRun = await ReportAsync();
        Assert.Equal((2, 1, 0, 0), (secondRun.Sent, secondRun.Free, secondRun.Held, secondRun.Failed));
        var thirdRun = await ReportAsync();
        Assert.Equal((0, 0, 0, 0), (thirdRun.Sent, thirdRun.Free, thirdRun.Held, thirdRun.Failed));
        Assert.Equal(new[] { (b, 5L), (c, 30L), (d, 12L) }.OrderBy(e => e.Item1), Received().OrderBy(e => e.Item1));

        // The local bill charges exactly what Stripe metered: 97 tenths used, 50 free, 47 at 20 cents a minute.
        var usage = await RunAsync(sp => sp.GetRequiredService<PortalDbContext>().UsageRecords.IgnoreQueryFilters().AsNoTracking()
            .Where(u => u.TenantId == tenant.TenantId).ToListAsync());
        Assert.Equal(5, usage.Count);
        Assert.All(usage, u => Assert.NotNull(u.MeterReportedAt));
        var bill = await RunAsync(sp => sp.GetRequiredService<BillingAccounts>().BillSoFarAsync(account, Plan.PayAsYouGo, CancellationToken.None));
        Assert.Equal((97L, 50L, 47L, 94L), (bill.UsedTenths, bill.TrialTenths, bill.OverageTenths, bill.OverageCents));
        Assert.Equal(bill.OverageTenths, Received().Sum(e => e.Value));

        // Reconciliation expects the same 47: no drift, and a planted tenth is found against exactly 47.
        Assert.DoesNotContain(await ReconcileAsync(monthStart, monthEnd), f => f.TenantId == tenant.TenantId);
        app.Stripe.PlantMeterEvent(customer, 1, first.AddMinutes(5));
        var finding = Assert.Single(await ReconcileAsync(monthStart, monthEnd), f => f.TenantId == tenant.TenantId);
        Assert.Equal((47L, 48L), (finding.LocalTenths, finding.StripeTenths));

        List<(string Identifier, long Value)> Received() =>
            app.Stripe.MeterEvents.Where(e => e.Customer == customer && new[] { a, b, c, d }.Contains(e.Identifier)).Select(e => (e.Identifier, e.Value)).ToList();
    }

    private Task<IReadOnlyList<Portal.Data.Entities.BillingDriftFinding>> ReconcileAsync(DateTimeOffset start, DateTimeOffset end) =>
        RunAsync(sp => sp.GetRequiredService<BillingReconciler>().ReconcileAsync(start, end, CancellationToken.None));
}
