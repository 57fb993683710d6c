using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Identity;
using Portal.Domain.Audit;
using Portal.Domain.Notifications;
using Portal.Domain.Numbers;
using Portal.Domain.Seeding;
using Portal.IntegrationTests.Infrastructure;
using Portal.Jobs.Numbers;
using Portal.Telephony;
using Portal.Fakes.Twilio;

namespace Portal.IntegrationTests;

/// <summary>The real app configured for Twilio, pointed at the fake Twilio REST API on 127.0.0.1.</summary>
public sealed class TwilioAdminFixture : PortalAppFactory
{
    public const string PublicBase = "https://portal.example.com";

    internal FakeTwilioServer Twilio { get; private set; } = default!;

    public override async Task InitializeAsync()
    {
        Twilio = await FakeTwilioServer.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Twilio is not null)
        {
            await Twilio.DisposeAsync();
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Twilio:AccountSid", FakeTwilioServer.AccountSid);
        builder.UseSetting("Twilio:AuthToken", FakeTwilioServer.AuthToken);
        builder.UseSetting("Twilio:BaseUrl", Twilio.BaseUrl.ToString());
        builder.UseSetting("Twilio:RetryBaseDelay", "00:00:00.010");
        builder.UseSetting("Twilio:MaxRetryDelay", "00:00:02");
        builder.UseSetting("Telephony:PublicBaseUrl", PublicBase);
    }

    /// <summary>Runs <paramref name="action"/> in a scope signed in as <paramref name="email"/>, as a circuit would be.</summary>
    public async Task<T> AsUserAsync<T>(string email, Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var user = await sp.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email) ?? throw new InvalidOperationException(email);
        var principal = await sp.GetRequiredService<IUserClaimsPrincipalFactory<PortalUser>>().CreateAsync(user);
        ((IHostEnvironmentAuthenticationStateProvider)sp.GetRequiredService<AuthenticationStateProvider>())
            .SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        return await action(sp);
    }

    public Task<T> AsAdminAsync<T>(Func<IServiceProvider, Task<T>> action) => AsUserAsync(DemoSeeder.AdminEmail, action);

    public async Task<T> DbAsync<T>(Func<PortalDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<PortalDbContext>());
    }

    /// <summary>Starts a batch as the admin and runs its job to the end in this process (the job server is off in tests).</summary>
    public async Task<NumberPurchaseBatch> BuyAsync(PurchaseRequest request)
    {
        var batchId = await AsAdminAsync(sp => sp.GetRequiredService<NumberPurchasing>().StartAsync(request, CancellationToken.None));
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PurchaseNumbersJob>().RunAsync(batchId, CancellationToken.None);
        return (await scope.ServiceProvider.GetRequiredService<PurchaseBatches>().GetAsync(batchId, CancellationToken.None))!;
    }

    public static PurchaseRequest Request(IReadOnlyList<PurchaseCandidate> numbers, int count = 0, int? areaCode = null, long cents = 115) => new(
        numbers, count, areaCode, null, null, null,
        new Uri(PublicBase + "/twilio/voice"), new Uri(PublicBase + "/twilio/status"), cents);
}

/// <summary>
/// Buying numbers, reconciliation and "fix webhook" against the fake Twilio REST API (real HTTP): the
/// real TwilioTelephonyProvider, the real jobs and the real database. Tests in this class share one
/// fake account and run in order of need, so each uses its own numbers from the fake's catalog.
/// </summary>
public sealed class AdminNumberPurchaseTests(TwilioAdminFixture f) : IClassFixture<TwilioAdminFixture>
{
    [Fact]
    public async Task Search_ThroughTwilio_ReturnsTheFakeInventory_WithBasicAuth()
    {
        var found = await f.AsAdminAsync(sp => sp.GetRequiredService<NumberPurchasing>()
            .SearchAsync(new AvailableNumberQuery("US", Region: "CA", Limit: 10), CancellationToken.None));
        var row = Assert.Single(found);
        Assert.Equal("+14155550123", row.Number.PhoneNumber);
        Assert.Equal("San Francisco", row.Number.Locality);
        Assert.False(row.InPool);
        var request = f.Twilio.RequestsTo("GET", "/AvailablePhoneNumbers/US/Local.json").Last();
        Assert.Equal("CA", request.Query["InRegion"]);
        Assert.Equal(FakeTwilioServer.ExpectedAuthorization, request.Authorization);
    }

    [Fact]
    public async Task BulkPurchase_BuysEveryMatchingNumber_PointsWebhooksAtPortal_RecordsPrice_AndSurvivesA429()
    {
        f.Twilio.PurchaseRateLimitedTimes = 1; // the first purchase answers 429 and is retried
        var batch = await f.BuyAsync(TwilioAdminFixture.Request([], count: 10, areaCode: 808, cents: 125));

        Assert.Equal(PurchaseBatchStatus.Completed, batch.Status);
        // The fake has three 808 numbers: all bought, then the search runs dry and the batch says so.
        Assert.Equal(3, batch.SucceededCount);
        Assert.Equal(0, batch.FailedCount);
        Assert.Contains("Only 3 of 10", batch.Error, StringComparison.Ordinal);
        Assert.All(batch.Items, i => Assert.Equal(PurchaseItemStatus.Purchased, i.Status));
        var posts = f.Twilio.RequestsTo("POST", "/IncomingPhoneNumbers.json").Where(r => r.Form["PhoneNumber"].StartsWith("+1808", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, posts.Count); // three numbers + one retry after the 429
        Assert.All(posts, p =>
        {
            Assert.Equal(TwilioAdminFixture.PublicBase + "/twilio/voice", p.Form["VoiceUrl"]);
            Assert.Equal(TwilioAdminFixture.PublicBase + "/twilio/status", p.Form["StatusCallback"]);
        });

        var pool = await f.DbAsync(db => db.PhoneNumbers.AsNoTracking().Where(p => p.E164.StartsWith("+1808")).OrderBy(p => p.E164).ToListAsync());
        Assert.Equal(3, pool.Count);
        Assert.All(pool, p =>
        {
            Assert.Equal("twilio", p.Provider);
            Assert.Equal(PhoneNumberStatus.Available, p.Status);
            Assert.Equal(125, p.MonthlyCostCents);
            Assert.Equal("808", p.AreaCode);
            Assert.Equal("HI", p.Region);
            Assert.Matches("^PN[0-9a-f]{32}$", p.ProviderSid!);
        });
        Assert.Equal(pool.Select(p => p.ProviderSid), batch.Items.OrderBy(i => i.E164).Select(i => i.ProviderSid));

        // Running the finished job again buys nothing.
        var before = f.Twilio.RequestsTo("POST", "/IncomingPhoneNumbers.json").Count;
        await using (var scope = f.Services.CreateAsyncScope())
        {
            Assert.Equal(PurchaseBatchStatus.Completed, await scope.ServiceProvider.GetRequiredService<PurchaseNumbersJob>().RunAsync(batch.Id, CancellationToken.None));
        }

        Assert.Equal(before, f.Twilio.RequestsTo("POST", "/IncomingPhoneNumbers.json").Count);

        // The admin who asked is told in the outbox.
        var mail = await f.DbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.Category == OutboxCategories.PurchaseFinished).ToListAsync());
        Assert.Contains(mail, m => m.To == DemoSeeder.AdminEmail && m.Subject.Contains("3 of 10", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChosenPurchase_WhenTwilioSaysTaken_RecordsTheErrorPerNumber_AndBuysTheRest()
    {
        const string taken = "+14155550123";
        f.Twilio.TakenNumbers[taken] = true;
        try
        {
            var batch = await f.BuyAsync(TwilioAdminFixture.Request([new PurchaseCandidate(taken, "San Francisco", "CA")]));
            Assert.Equal(PurchaseBatchStatus.Completed, batch.Status);
            var item = Assert.Single(batch.Items);
            Assert.Equal(PurchaseItemStatus.Failed, item.Status);
            Assert.Contains("21422", item.Error, StringComparison.Ordinal);
            Assert.Equal(1, batch.FailedCount);
            Assert.False(await f.DbAsync(db => db.PhoneNumbers.AnyAsync(p => p.E164 == taken)));
        }
        finally
        {
            f.Twilio.TakenNumbers.TryRemove(taken, out _);
        }
    }

    [Fact]
    public async Task InterruptedPurchase_IsLookedUpAtTheProvider_NotBoughtTwice()
    {
        // A purchase that reached Twilio but whose answer was lost (crash mid-request): the item is left Purchasing.
        const string e164 = "+15005550199";
        var sid = f.Twilio.AddOwned(e164, TwilioAdminFixture.PublicBase + "/twilio/voice", TwilioAdminFixture.PublicBase + "/twilio/status");
        var batchId = await f.AsAdminAsync(sp => sp.GetRequiredService<PurchaseBatches>()
            .CreateAsync(TwilioAdminFixture.Request([new PurchaseCandidate(e164, "Test", "CA")]), "twilio", CancellationToken.None));
        await f.DbAsync(db => db.NumberPurchaseItems.Where(i => i.BatchId == batchId).ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, PurchaseItemStatus.Purchasing)));
        var posts = f.Twilio.RequestsTo("POST", "/IncomingPhoneNumbers.json").Count;

        await using (var scope = f.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PurchaseNumbersJob>().RunAsync(batchId, CancellationToken.None);
        }

        var item = await f.DbAsync(db => db.NumberPurchaseItems.AsNoTracking().SingleAsync(i => i.BatchId == batchId));
        Assert.Equal(PurchaseItemStatus.AlreadyOwned, item.Status);
        Assert.Equal(sid, item.ProviderSid);
        Assert.Equal(posts, f.Twilio.RequestsTo("POST", "/IncomingPhoneNumbers.json").Count);
        Assert.Equal(sid, await f.DbAsync(db => db.PhoneNumbers.Where(p => p.E164 == e164).Select(p => p.ProviderSid).SingleAsync()));
    }

    [Fact]
    public async Task PurchaseRequest_WithBadInput_IsRefused_AndStoresNothing()
    {
        var before = await f.DbAsync(db => db.NumberPurchaseBatches.CountAsync());
        await f.AsAdminAsync<bool>(async sp =>
        {
            var purchasing = sp.GetRequiredService<NumberPurchasing>();
            await Assert.ThrowsAsync<ArgumentException>(() => purchasing.StartAsync(TwilioAdminFixture.Request([], count: 101), CancellationToken.None));
            await Assert.ThrowsAsync<ArgumentException>(() => purchasing.StartAsync(TwilioAdminFixture.Request([], count: 0), CancellationToken.None));
            await Assert.ThrowsAsync<ArgumentException>(() => purchasing.StartAsync(TwilioAdminFixture.Request([new PurchaseCandidate("555-0100", null, null)]), CancellationToken.None));
            await Assert.ThrowsAsync<ArgumentException>(() => purchasing.StartAsync(TwilioAdminFixture.Request([], count: 5, cents: -1), CancellationToken.None));
            return true;
        });
        Assert.Equal(before, await f.DbAsync(db => db.NumberPurchaseBatches.CountAsync()));
    }

    [Fact]
    public async Task Reconcile_FindsInjectedDrift_ReportsIt_AndFixWebhookRepairsIt()
    {
        // Two numbers bought through Portal, then drift injected at the "provider".
        var batch = await f.BuyAsync(TwilioAdminFixture.Request([new PurchaseCandidate("+15005550101", "Test", "CA"), new PurchaseCandidate("+15005550102", "Test", "CA")]));
        Assert.Equal(2, batch.SucceededCount);
        Assert.True(f.Twilio.SetWebhooks("+15005550101", "https://old.example.com/voice", ""));
        Assert.True(f.Twilio.RemoveOwned("+15005550102"));
        f.Twilio.AddOwned("+15005550103", "https://elsewhere.example.com/voice", null);

        var result = await f.AsAdminAsync(sp => sp.GetRequiredService<PoolReconciler>().ReconcileAsync(CancellationToken.None));
        Assert.True(result.WebhooksChecked);
        var open = await f.DbAsync(db => db.PoolDriftFindings.AsNoTracking().Where(x => x.ResolvedAt == null && x.E164.StartsWith("+1500555010")).ToListAsync());
        var wrong = Assert.Single(open, x => x.E164 == "+15005550101");
        Assert.Equal(DriftKind.WrongWebhook, wrong.Kind);
        Assert.Equal("https://old.example.com/voice", wrong.ActualVoiceUrl);
        Assert.Equal(TwilioAdminFixture.PublicBase + "/twilio/voice", wrong.ExpectedVoiceUrl);
        Assert.Equal(DriftKind.MissingAtProvider, Assert.Single(open, x => x.E164 == "+15005550102").Kind);
        Assert.Equal(DriftKind.MissingInPool, Assert.Single(open, x => x.E164 == "+15005550103").Kind);

        // Admins get the drift report in the outbox.
        var report = await f.DbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.Category == OutboxCategories.PoolDrift).OrderByDescending(m => m.CreatedAt).FirstAsync());
        Assert.Equal(DemoSeeder.AdminEmail, report.To);
        Assert.Contains("+15005550101", report.Body, StringComparison.Ordinal);

        // Running it again finds the same drift without new findings or new emails.
        var again = await f.AsAdminAsync(sp => sp.GetRequiredService<PoolReconciler>().ReconcileAsync(CancellationToken.None));
        Assert.Equal(0, again.New);

        // Fix webhook: Twilio gets the update, the finding closes, the action is audited.
        Assert.Equal(AdminActionResult.Done, await f.AsAdminAsync(sp => sp.GetRequiredService<PoolReconciler>().FixWebhookAsync(wrong.Id, CancellationToken.None)));
        var fixedNumber = f.Twilio.OwnedNumbers.Single(o => o.PhoneNumber == "+15005550101");
        Assert.Equal(TwilioAdminFixture.PublicBase + "/twilio/voice", fixedNumber.VoiceUrl);
        Assert.Equal(TwilioAdminFixture.PublicBase + "/twilio/status", fixedNumber.StatusCallback);
        Assert.NotNull(await f.DbAsync(db => db.PoolDriftFindings.Where(x => x.Id == wrong.Id).Select(x => x.ResolvedAt).SingleAsync()));
        var fixes = await f.DbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.NumberFixWebhook).ToListAsync());
        Assert.Contains(fixes, e => e.Details!.Contains("+15005550101", StringComparison.Ordinal) && e.ActorEmail == DemoSeeder.AdminEmail);

        // The next run confirms the fix and keeps the other two open.
        await f.AsAdminAsync(sp => sp.GetRequiredService<PoolReconciler>().ReconcileAsync(CancellationToken.None));
        var stillOpen = await f.DbAsync(db => db.PoolDriftFindings.AsNoTracking().Where(x => x.ResolvedAt == null && x.E164.StartsWith("+1500555010")).Select(x => x.E164).OrderBy(x => x).ToListAsync());
        Assert.Equal(["+15005550102", "+15005550103"], stillOpen);

        // Once the missing number is back at the provider, its finding resolves itself.
        f.Twilio.AddOwned("+15005550102", TwilioAdminFixture.PublicBase + "/twilio/voice", TwilioAdminFixture.PublicBase + "/twilio/status");
        var last = await f.AsAdminAsync(sp => sp.GetRequiredService<PoolReconciler>().ReconcileAsync(CancellationToken.None));
        Assert.True(last.Resolved >= 1);
        Assert.False(await f.DbAsync(db => db.PoolDriftFindings.AnyAsync(x => x.ResolvedAt == null && x.E164 == "+15005550102")));
    }

    [Fact]
    public async Task GiveBack_RetiresThePoolNumber_AndTheJobReleasesItAtTwilio_Once()
    {
        var batch = await f.BuyAsync(TwilioAdminFixture.Request([new PurchaseCandidate("+15005550111", "Test", "CA")]));
        Assert.Equal(1, batch.SucceededCount);
        var number = await f.DbAsync(db => db.PhoneNumbers.AsNoTracking().SingleAsync(p => p.E164 == "+15005550111"));
        var sid = number.ProviderSid!;
        Assert.Contains(f.Twilio.OwnedNumbers, o => o.PhoneNumber == "+15005550111");

        Assert.Equal(AdminActionResult.Done, await f.AsAdminAsync(sp => sp.GetRequiredService<NumberRetirement>().RetireAsync(number.Id, CancellationToken.None)));
        var retired = await f.DbAsync(db => db.PhoneNumbers.AsNoTracking().SingleAsync(p => p.Id == number.Id));
        Assert.Equal(PhoneNumberStatus.Released, retired.Status);
        Assert.Equal(sid, retired.ProviderSid); // still ours at Twilio until the job has run
        var audit = await f.DbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.NumberRetire && e.TargetId == number.Id.ToString()).ToListAsync());
        Assert.Contains(audit, e => e.ActorEmail == DemoSeeder.AdminEmail && e.Details!.Contains("+15005550111", StringComparison.Ordinal));
        var row = (await f.AsAdminAsync(sp => sp.GetRequiredService<PoolAdministration>().SearchAsync(new NumberPoolQuery(Digits: "15005550111"), 0, 100, CancellationToken.None))).Items.Single(r => r.Id == number.Id);
        Assert.True(row.AtProvider);

        // The job (enqueued by the retirement; run here in process, the job server is off in tests) deletes it at Twilio.
        await using (var scope = f.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<ReleaseNumberAtProviderJob>().RunAsync(number.Id, CancellationToken.None));
            Assert.False(await scope.ServiceProvider.GetRequiredService<ReleaseNumberAtProviderJob>().RunAsync(number.Id, CancellationToken.None)); // done already
        }

        Assert.Single(f.Twilio.RequestsTo("DELETE", $"/IncomingPhoneNumbers/{sid}.json"));
        Assert.DoesNotContain(f.Twilio.OwnedNumbers, o => o.PhoneNumber == "+15005550111");
        Assert.Null(await f.DbAsync(db => db.PhoneNumbers.Where(p => p.Id == number.Id).Select(p => p.ProviderSid).SingleAsync()));

        // A retired number is not retired twice; an assigned one must be released from its business first.
        Assert.Equal(AdminActionResult.NotApplicable, await f.AsAdminAsync(sp => sp.GetRequiredService<NumberRetirement>().RetireAsync(number.Id, CancellationToken.None)));
        var tenant = await f.CreateTenantAsync("Give Back Dental");
        var held = await f.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<NumberPool>().HeldByAsync(tenant.TenantId, CancellationToken.None));
        Assert.Equal(AdminActionResult.NotApplicable, await f.AsAdminAsync(sp => sp.GetRequiredService<NumberRetirement>().RetireAsync(held!.Id, CancellationToken.None)));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => f.AsUserAsync(tenant.Email, sp => sp.GetRequiredService<NumberRetirement>().RetireAsync(held!.Id, CancellationToken.None)));
    }

    [Fact]
    public async Task FixWebhook_ByBusinessOwner_IsRefused()
    {
        var tenant = await f.CreateTenantAsync("Drift Owner Dental");
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => f.AsUserAsync(tenant.Email, sp => sp.GetRequiredService<PoolReconciler>().FixWebhookAsync(Guid.NewGuid(), CancellationToken.None)));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => f.AsUserAsync(tenant.Email, sp => sp.GetRequiredService<NumberPurchasing>()
            .StartAsync(TwilioAdminFixture.Request([], count: 1), CancellationToken.None)));
    }
}
