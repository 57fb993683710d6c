using System.Net;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Identity;
using Portal.Domain.Audit;
using Portal.Domain.Numbers;
using Portal.Domain.Seeding;
using Portal.Domain.Tenancy;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests;

/// <summary>Two businesses with assigned numbers, the platform admin and one owner signed in.</summary>
public sealed class AdminFixture : PortalAppFactory
{
    public const string KnownName = "Zephyrine Admin Dental";

    public TestTenant Known { get; private set; } = default!;
    public string KnownE164 { get; private set; } = "";
    public HttpClient AdminClient { get; private set; } = default!;
    public HttpClient OwnerClient { get; private set; } = default!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Known = await CreateTenantAsync(KnownName);
        KnownE164 = await InTenantAsync(Known.TenantId, sp => sp.GetRequiredService<PortalDbContext>().PhoneNumbers
            .Where(p => p.TenantId == Known.TenantId).Select(p => p.E164).SingleAsync());
        AdminClient = await SignInAsync(DemoSeeder.AdminEmail, DemoSeeder.DemoPassword);
        OwnerClient = await SignInAsync(Known.Email, Known.Password);
    }

    /// <summary>Runs <paramref name="action"/> in a scope whose authentication state is the given user, as a circuit would have it.</summary>
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

    /// <summary>Audit entries for one target, newest first (read unfiltered: audit entries are global).</summary>
    public async Task<List<AuditEntry>> AuditFor(Guid targetId)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return await db.AuditEntries.Where(e => e.TargetId == targetId.ToString()).OrderByDescending(e => e.At).ToListAsync();
    }

    public async Task<PhoneNumber> NumberAsync(Guid id)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().PhoneNumbers.AsNoTracking().SingleAsync(p => p.Id == id);
    }
}

public sealed class AdminPagesTests(AdminFixture f) : IClassFixture<AdminFixture>
{
    public static TheoryData<string> AdminPages => new() { "/admin/numbers", "/admin/tenants", "/admin/audit" };

    [Theory]
    [MemberData(nameof(AdminPages))]
    public async Task AdminPage_AsPlatformAdmin_Is200(string path)
    {
        var response = await f.AdminClient.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("data-testid=\"error\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AdminPages))]
    public async Task AdminPage_AsBusinessOwner_Is403(string path)
    {
        var response = await f.OwnerClient.GetAsync(path);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task HealthPage_InKeylessMode_ShowsTheSandboxTokenMasked_WithTheSimulatorCommand()
    {
        var token = f.Services.GetRequiredService<Portal.Web.Telephony.ISandboxCredentials>().AuthToken;

        var html = WebUtility.HtmlDecode(await f.AdminClient.GetStringAsync("/admin/health"));

        Assert.Contains("data-testid=\"sandbox-token\"", html, StringComparison.Ordinal);
        Assert.Contains(new string('•', token.Length - 4) + token[^4..], html, StringComparison.Ordinal);
        Assert.DoesNotContain(token, html, StringComparison.Ordinal); // revealed only on request
        Assert.Contains("dotnet run --project tools/Portal.CallSimulator -- --base-url", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"sandbox-token-copy\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NavMenu_AsPlatformAdmin_LinksEveryAdminPage()
    {
        var html = await f.AdminClient.GetStringAsync("/admin");
        foreach (var path in new[] { "/admin/numbers", "/admin/tenants", "/admin/audit" })
        {
            Assert.Contains($"href=\"{path}\"", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TenantsPage_AsPlatformAdmin_ShowsBusinessWithItsNumber()
    {
        var html = WebUtility.HtmlDecode(await f.AdminClient.GetStringAsync("/admin/tenants")); // Blazor encodes "+" as &#x2B;
        Assert.Contains(AdminFixture.KnownName, html, StringComparison.Ordinal);
        Assert.Contains(f.KnownE164, html, StringComparison.Ordinal);
        Assert.Contains("tenants-table", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NumbersPage_AsPlatformAdmin_ShowsTheNumberTableAndFilters()
    {
        // MudTable calls ServerData after the first render, so prerendered HTML has the table and filters but no rows;
        // the rows come from PoolAdministration.SearchAsync, proven in NumberSearch_* below.
        var html = WebUtility.HtmlDecode(await f.AdminClient.GetStringAsync("/admin/numbers"));
        foreach (var testId in new[] { "numbers-table", "filter-status", "filter-area-code", "filter-region", "filter-digits", "filter-tenant" })
        {
            Assert.Contains($"data-testid=\"{testId}\"", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AuditLog_RecordAsync_WritesAnEntryTheAuditPageShows()
    {
        var target = Guid.NewGuid();
        var entry = await f.AsAdminAsync(sp => sp.GetRequiredService<AuditLog>()
            .RecordAsync("test.marker", "Probe", target.ToString(), null, new { note = "quokka" }, CancellationToken.None));
        Assert.Equal(DemoSeeder.AdminEmail, entry.ActorEmail);
        Assert.NotEqual(Guid.Empty, entry.ActorUserId);
        var stored = Assert.Single(await f.AuditFor(target));
        Assert.Equal("test.marker", stored.Action);
        Assert.Contains("quokka", stored.Details, StringComparison.Ordinal);

        var html = await f.AdminClient.GetStringAsync("/admin/audit");
        Assert.Contains(target.ToString(), html, StringComparison.Ordinal);
        Assert.Contains("test.marker", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditLog_WithoutSignedInUser_Refuses()
    {
        await using var scope = f.Services.CreateAsyncScope();
        ((IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>())
            .SetAuthenticationState(Task.FromResult(new AuthenticationState(new System.Security.Claims.ClaimsPrincipal())));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => scope.ServiceProvider.GetRequiredService<AuditLog>()
            .RecordAsync("test.anonymous", "Probe", "x", null, null, CancellationToken.None));
    }

    [Fact]
    public async Task AuditEntries_AreAppendOnly()
    {
        var target = Guid.NewGuid();
        await f.AsAdminAsync(sp => sp.GetRequiredService<AuditLog>().RecordAsync("test.immutable", "Probe", target.ToString(), null, null, CancellationToken.None));
        await using var scope = f.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var entry = await db.AuditEntries.SingleAsync(e => e.TargetId == target.ToString());
        entry.Action = "test.tampered";
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        db.AuditEntries.Remove(entry);
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task SuspendTenant_SetsSuspended_WritesAudit_AndReactivateRestoresActive()
    {
        var tenant = await f.CreateTenantAsync("Suspendable Quill Salon", Industry.Salon);
        Assert.Equal(AdminActionResult.Done, await f.AsAdminAsync(sp => sp.GetRequiredService<TenantAdministration>().SuspendAsync(tenant.TenantId, CancellationToken.None)));
        Assert.Equal(TenantStatus.Suspended, await StatusOf(tenant.TenantId));
        var suspended = Assert.Single(await f.AuditFor(tenant.TenantId));
        Assert.Equal(AuditActions.TenantSuspend, suspended.Action);
        Assert.Equal(tenant.TenantId, suspended.TenantId);
        Assert.Equal(DemoSeeder.AdminEmail, suspended.ActorEmail);

        // A second suspend finds nothing to do and writes nothing.
        Assert.Equal(AdminActionResult.NotApplicable, await f.AsAdminAsync(sp => sp.GetRequiredService<TenantAdministration>().SuspendAsync(tenant.TenantId, CancellationToken.None)));
        Assert.Single(await f.AuditFor(tenant.TenantId));

        var html = await f.AdminClient.GetStringAsync("/admin/tenants");
        Assert.Contains("Suspendable Quill Salon", html, StringComparison.Ordinal);
        Assert.Contains("tenant-reactivate", html, StringComparison.Ordinal);

        Assert.Equal(AdminActionResult.Done, await f.AsAdminAsync(sp => sp.GetRequiredService<TenantAdministration>().ReactivateAsync(tenant.TenantId, CancellationToken.None)));
        Assert.Equal(TenantStatus.Active, await StatusOf(tenant.TenantId));
        Assert.Equal(AuditActions.TenantReactivate, (await f.AuditFor(tenant.TenantId))[0].Action);
        Assert.Contains(AuditActions.TenantReactivate, await f.AdminClient.GetStringAsync("/admin/audit"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangePlan_MovesTheBusiness_WritesAudit_AndTheListShowsIt()
    {
        var tenant = await f.CreateTenantAsync("Plan Changing Bakery", Industry.Other);
        var admin = (Func<Plan, Task<AdminActionResult>>)(plan => f.AsAdminAsync(sp => sp.GetRequiredService<TenantAdministration>().ChangePlanAsync(tenant.TenantId, plan, CancellationToken.None)));
        var row = (await f.AsAdminAsync(sp => sp.GetRequiredService<TenantAdministration>().ListAsync("Plan Changing Bakery", 10, CancellationToken.None))).Single();
        Assert.Equal(Plan.PayAsYouGo, row.Plan);

        Assert.Equal(AdminActionResult.Done, await admin(Plan.Growth));
        Assert.Equal(AdminActionResult.NotApplicable, await admin(Plan.Growth)); // already on it: nothing written
        row = (await f.AsAdminAsync(sp => sp.GetRequiredService<TenantAdministration>().ListAsync("Plan Changing Bakery", 10, CancellationToken.None))).Single();
        Assert.Equal(Plan.Growth, row.Plan);
        var entry = Assert.Single(await f.AuditFor(tenant.TenantId));
        Assert.Equal(AuditActions.TenantChangePlan, entry.Action);
        Assert.Contains("PayAsYouGo", entry.Details, StringComparison.Ordinal);
        Assert.Contains("Growth", entry.Details, StringComparison.Ordinal);
        Assert.Equal(AdminActionResult.NotFound, await f.AsAdminAsync(sp => sp.GetRequiredService<TenantAdministration>().ChangePlanAsync(Guid.NewGuid(), Plan.Enterprise, CancellationToken.None)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => admin((Plan)42));

        var html = await f.AdminClient.GetStringAsync("/admin/tenants");
        Assert.Contains("tenant-plan", html, StringComparison.Ordinal);
        Assert.Equal(30_000, PlanTerms.Of(Plan.Growth).MonthlyMinimumCents);
    }

    [Fact]
    public async Task AdminActions_ByBusinessOwner_AreRefused()
    {
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => f.AsUserAsync(f.Known.Email,
            sp => sp.GetRequiredService<TenantAdministration>().ChangePlanAsync(f.Known.TenantId, Plan.WhiteLabel, CancellationToken.None)));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => f.AsUserAsync(f.Known.Email,
            sp => sp.GetRequiredService<TenantAdministration>().SuspendAsync(f.Known.TenantId, CancellationToken.None)));
        Assert.Equal(TenantStatus.Active, await StatusOf(f.Known.TenantId));
        Assert.Empty(await f.AuditFor(f.Known.TenantId));
    }

    [Fact]
    public async Task Number_SuspendReactivateRelease_FollowTheStatusRules_AndAreAudited()
    {
        var tenant = await f.CreateTenantAsync("Numbered Larkspur Dental");
        var number = await f.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<PortalDbContext>().PhoneNumbers.AsNoTracking().SingleAsync(p => p.TenantId == tenant.TenantId));
        Task<AdminActionResult> Act(Func<PoolAdministration, Task<AdminActionResult>> action) => f.AsAdminAsync(sp => action(sp.GetRequiredService<PoolAdministration>()));

        Assert.Equal(AdminActionResult.NotApplicable, await Act(p => p.ReactivateAsync(number.Id, CancellationToken.None)));
        Assert.Equal(AdminActionResult.Done, await Act(p => p.SuspendAsync(number.Id, CancellationToken.None)));
        Assert.Equal(PhoneNumberStatus.Suspended, (await f.NumberAsync(number.Id)).Status);
        Assert.Equal(AdminActionResult.Done, await Act(p => p.ReactivateAsync(number.Id, CancellationToken.None)));
        var reactivated = await f.NumberAsync(number.Id);
        Assert.Equal(PhoneNumberStatus.Assigned, reactivated.Status); // still has its agent
        Assert.Equal(tenant.TenantId, reactivated.TenantId);

        Assert.Equal(AdminActionResult.Done, await Act(p => p.ReleaseAsync(number.Id, CancellationToken.None)));
        var released = await f.NumberAsync(number.Id);
        Assert.Equal(PhoneNumberStatus.Available, released.Status);
        Assert.Null(released.TenantId);
        Assert.Null(released.AgentPersonaId);
        Assert.Null(released.AssignedAt);
        Assert.Equal(AdminActionResult.NotApplicable, await Act(p => p.ReleaseAsync(number.Id, CancellationToken.None)));

        // Available → Suspended → Available (no agent, so not Assigned).
        Assert.Equal(AdminActionResult.Done, await Act(p => p.SuspendAsync(number.Id, CancellationToken.None)));
        Assert.Equal(AdminActionResult.Done, await Act(p => p.ReactivateAsync(number.Id, CancellationToken.None)));
        Assert.Equal(PhoneNumberStatus.Available, (await f.NumberAsync(number.Id)).Status);
        Assert.Equal(AdminActionResult.NotFound, await Act(p => p.SuspendAsync(Guid.NewGuid(), CancellationToken.None)));

        var audit = await f.AuditFor(number.Id);
        Assert.Equal(
            [AuditActions.NumberReactivate, AuditActions.NumberSuspend, AuditActions.NumberRelease, AuditActions.NumberReactivate, AuditActions.NumberSuspend],
            audit.Select(a => a.Action));
        Assert.Equal(tenant.TenantId, audit[^1].TenantId);
        Assert.Contains(number.E164, audit[^1].Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NumberSearch_PagesInTheDatabase_AndFiltersByTenantDigitsAndStatus()
    {
        var pool = f.Services.CreateScope().ServiceProvider.GetRequiredService<PoolAdministration>();
        var all = await pool.SearchAsync(new NumberPoolQuery(), 0, 5, CancellationToken.None);
        Assert.Equal(5, all.Items.Count);
        Assert.True(all.Total > 5, $"pool has only {all.Total} numbers");
        var second = await pool.SearchAsync(new NumberPoolQuery(), 1, 5, CancellationToken.None);
        Assert.Empty(all.Items.Select(i => i.Id).Intersect(second.Items.Select(i => i.Id)));
        Assert.True(string.CompareOrdinal(all.Items[^1].E164, second.Items[0].E164) < 0);

        var byTenant = await pool.SearchAsync(new NumberPoolQuery(TenantName: "zephyrine admin"), 0, 25, CancellationToken.None);
        var row = Assert.Single(byTenant.Items);
        Assert.Equal(f.KnownE164, row.E164);
        Assert.Equal(AdminFixture.KnownName, row.TenantName);
        Assert.Equal(1, byTenant.Total);

        var byDigits = await pool.SearchAsync(new NumberPoolQuery(Digits: f.KnownE164[2..]), 0, 25, CancellationToken.None);
        Assert.Equal(f.KnownE164, Assert.Single(byDigits.Items).E164);

        var assigned = await pool.SearchAsync(new NumberPoolQuery(Status: PhoneNumberStatus.Assigned), 0, 100, CancellationToken.None);
        Assert.All(assigned.Items, i => Assert.Equal(PhoneNumberStatus.Assigned, i.Status));
        Assert.Contains(assigned.Items, i => i.E164 == f.KnownE164);
    }

    [Fact]
    public async Task Suspensions_AreHonouredByCallRouting()
    {
        var tenant = await f.CreateTenantAsync("Routed Marigold Dental");
        var number = await f.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<PortalDbContext>().PhoneNumbers.AsNoTracking().SingleAsync(p => p.TenantId == tenant.TenantId));
        Task<Portal.Domain.Calls.CallRouteKind> Route() => f.AsAdminAsync(async sp => (await sp.GetRequiredService<Portal.Domain.Calls.CallRouter>().RouteAsync(number.E164, CancellationToken.None)).Kind);
        Assert.Equal(Portal.Domain.Calls.CallRouteKind.Answer, await Route());

        await f.AsAdminAsync(sp => sp.GetRequiredService<TenantAdministration>().SuspendAsync(tenant.TenantId, CancellationToken.None));
        Assert.Equal(Portal.Domain.Calls.CallRouteKind.TenantSuspended, await Route());
        await f.AsAdminAsync(sp => sp.GetRequiredService<TenantAdministration>().ReactivateAsync(tenant.TenantId, CancellationToken.None));

        await f.AsAdminAsync(sp => sp.GetRequiredService<PoolAdministration>().SuspendAsync(number.Id, CancellationToken.None));
        Assert.Equal(Portal.Domain.Calls.CallRouteKind.UnknownNumber, await Route());
        await f.AsAdminAsync(sp => sp.GetRequiredService<PoolAdministration>().ReactivateAsync(number.Id, CancellationToken.None));
        Assert.Equal(Portal.Domain.Calls.CallRouteKind.Answer, await Route());
    }

    [Theory]
    [InlineData(PhoneNumberStatus.Available, "212", "ix_phone_numbers_status_area_code")]
    [InlineData(null, null, "ix_phone_numbers_e164")]
    public async Task NumberPageQuery_IsLimitedAndCanUseThePoolIndexes(PhoneNumberStatus? status, string? areaCode, string expectedIndex)
    {
        await using var scope = f.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var sql = PoolAdministration.PageQuery(db, new NumberPoolQuery(status, areaCode), 2, 25).ToQueryString();
        Assert.Contains("LIMIT", sql, StringComparison.Ordinal);
        Assert.Contains("ORDER BY p.e164", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("count(", sql, StringComparison.OrdinalIgnoreCase); // the total is a separate CountAsync

        // Inline the "-- @name='value'" parameters ToQueryString prints, then EXPLAIN with sequential scans
        // discouraged: the tiny test pool would otherwise always be scanned, proving nothing.
        var lines = sql.Split('\n');
        var body = string.Join('\n', lines.Where(l => !l.StartsWith("-- ", StringComparison.Ordinal)));
        foreach (var line in lines.Where(l => l.StartsWith("-- @", StringComparison.Ordinal)))
        {
            var match = System.Text.RegularExpressions.Regex.Match(line, "^-- (@\\w+)='(.*)'");
            var value = match.Groups[2].Value;
            body = System.Text.RegularExpressions.Regex.Replace(body, System.Text.RegularExpressions.Regex.Escape(match.Groups[1].Value) + "\\b",
                int.TryParse(value, out _) ? value : $"'{value.Replace("'", "''", StringComparison.Ordinal)}'");
        }

        await using var connection = new Npgsql.NpgsqlConnection(f.ConnectionString);
        await connection.OpenAsync();
        await using (var off = new Npgsql.NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await off.ExecuteNonQueryAsync();
        }

        await using var explain = new Npgsql.NpgsqlCommand("EXPLAIN " + body, connection);
        var plan = new System.Text.StringBuilder();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.AppendLine(reader.GetString(0));
            }
        }

        Assert.Contains(expectedIndex, plan.ToString(), StringComparison.Ordinal);
    }

    private async Task<TenantStatus> StatusOf(Guid tenantId) =>
        await f.InTenantAsync(tenantId, sp => sp.GetRequiredService<PortalDbContext>().Tenants.Where(t => t.Id == tenantId).Select(t => t.Status).SingleAsync());
}
