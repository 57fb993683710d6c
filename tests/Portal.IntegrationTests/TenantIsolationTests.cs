using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Seeding;
using Portal.Domain.Tenancy;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests;

/// <summary>Two businesses with data; proves tenant A reaches nothing of tenant B through every page and endpoint.</summary>
public sealed class IsolationFixture : PortalAppFactory
{
    public const string BravoName = "Bravo Quartzline Salon";
    public const string BravoCustomer = "Zebediah Quartermaine";
    public const string BravoFaq = "Do you sell Quartzline gift cards?";
    public const string AlphaCustomer = "Amelia Alphaworth";

    public TestTenant Alpha { get; private set; } = default!;
    public TestTenant Bravo { get; private set; } = default!;
    public Guid AlphaConversation { get; private set; }
    public Guid BravoConversation { get; private set; }
    public Guid BravoBooking { get; private set; }
    public HttpClient AlphaClient { get; private set; } = default!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Alpha = await CreateTenantAsync("Alpha Brightwater Dental");
        Bravo = await CreateTenantAsync(BravoName, Industry.Salon);
        await InTenantAsync(Bravo.TenantId, async sp =>
        {
            var db = sp.GetRequiredService<PortalDbContext>();
            db.KnowledgeDocuments.Add(KnowledgeDocument.NewFaq(Bravo.TenantId, BravoFaq, "Yes, Quartzline cards in any amount."));
            return await db.SaveChangesAsync();
        });
        AlphaClient = await SignInAsync(Alpha.Email, Alpha.Password);
        var bravoClient = await SignInAsync(Bravo.Email, Bravo.Password);
        (AlphaConversation, _) = await BookAsync(AlphaClient, "a cleaning", AlphaCustomer, "212-555-0101");
        (BravoConversation, BravoBooking) = await BookAsync(bravoClient, "a haircut", BravoCustomer, "212-555-0102");
    }

    private static async Task<(Guid Conversation, Guid Booking)> BookAsync(HttpClient client, string service, string name, string phone)
    {
        var start = await (await client.PostAsJsonAsync("/api/v1/conversations", new { channel = "test" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = start.GetProperty("conversationId").GetGuid();
        JsonElement last = default;
        foreach (var u in new[] { $"I'd like {service} in 3 days at 11am", name, phone, "yes" })
        {
            var response = await client.PostAsJsonAsync($"/api/v1/conversations/{id}/turns", new { utterance = u });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            last = await response.Content.ReadFromJsonAsync<JsonElement>();
        }

        var action = last.GetProperty("actions").EnumerateArray().Single(a => a.GetProperty("kind").GetString() == "BookingCreated");
        return (id, action.GetProperty("entityId").GetGuid());
    }
}

public sealed class TenantIsolationTests(IsolationFixture f) : IClassFixture<IsolationFixture>
{
    private static readonly string[] BravoMarkers = [IsolationFixture.BravoName, IsolationFixture.BravoCustomer, IsolationFixture.BravoFaq, "Quartzline"];

    public static TheoryData<string> Pages => new() { "/", "/conversations", "/bookings", "/agent", "/business", "/console", "/onboarding", "/knowledge" };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_AsTenantA_ShowsNothingOfTenantB(string path)
    {
        var response = await f.AlphaClient.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        foreach (var marker in BravoMarkers)
        {
            Assert.DoesNotContain(marker, html, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData("/conversations")]
    [InlineData("/bookings")]
    [InlineData("/")]
    public async Task Page_AsTenantA_ShowsTenantAsOwnData(string path)
    {
        var html = await f.AlphaClient.GetStringAsync(path);
        Assert.Contains(IsolationFixture.AlphaCustomer, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConversationDetailPage_OfTenantB_IsNotShownToTenantA()
    {
        var own = await f.AlphaClient.GetStringAsync($"/conversations/{f.AlphaConversation}");
        Assert.Contains(IsolationFixture.AlphaCustomer, own, StringComparison.Ordinal);
        var html = await f.AlphaClient.GetStringAsync($"/conversations/{f.BravoConversation}");
        Assert.DoesNotContain(IsolationFixture.BravoCustomer, html, StringComparison.Ordinal);
        Assert.Contains("not found", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ConversationApi_AsTenantA_NeverReturnsTenantB()
    {
        var list = (await f.AlphaClient.GetFromJsonAsync<JsonElement>("/api/v1/conversations")).GetProperty("data");
        var ids = list.EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ToList();
        Assert.Contains(f.AlphaConversation, ids);
        Assert.DoesNotContain(f.BravoConversation, ids);
        Assert.Equal(HttpStatusCode.NotFound, (await f.AlphaClient.GetAsync($"/api/v1/conversations/{f.BravoConversation}")).StatusCode);
    }

    [Fact]
    public async Task TurnApi_OnTenantBConversation_Is404AndChangesNothing()
    {
        var before = await CountTurnsAsync(f.BravoConversation);
        var response = await f.AlphaClient.PostAsJsonAsync($"/api/v1/conversations/{f.BravoConversation}/turns", new { utterance = "cancel my appointment" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await f.AlphaClient.PostAsync($"/api/v1/conversations/{f.BravoConversation}/end", null)).StatusCode);
        Assert.Equal(before, await CountTurnsAsync(f.BravoConversation));
    }

    [Fact]
    public async Task BookingApi_AsTenantA_NeverReturnsTenantB()
    {
        var list = (await f.AlphaClient.GetFromJsonAsync<JsonElement>("/api/v1/bookings")).GetProperty("data");
        Assert.NotEmpty(list.EnumerateArray());
        Assert.All(list.EnumerateArray(), b => Assert.NotEqual(IsolationFixture.BravoCustomer, b.GetProperty("customerName").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await f.AlphaClient.GetAsync($"/api/v1/bookings/{f.BravoBooking}")).StatusCode);
    }

    [Fact]
    public async Task Engine_OfTenantA_CannotFindOrCancelTenantBBookings()
    {
        var start = await (await f.AlphaClient.PostAsJsonAsync("/api/v1/conversations", new { channel = "test" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = start.GetProperty("conversationId").GetGuid();
        await f.AlphaClient.PostAsJsonAsync($"/api/v1/conversations/{id}/turns", new { utterance = "I need to cancel my appointment" });
        var reply = await (await f.AlphaClient.PostAsJsonAsync($"/api/v1/conversations/{id}/turns", new { utterance = "212-555-0102" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.DoesNotContain("haircut", reply.GetProperty("reply").GetString(), StringComparison.OrdinalIgnoreCase);
        var status = await f.InTenantAsync(f.Bravo.TenantId, async sp => (await sp.GetRequiredService<PortalDbContext>().Bookings.SingleAsync(b => b.Id == f.BravoBooking)).Status);
        Assert.Equal(BookingStatus.Confirmed, status);
    }

    [Fact]
    public async Task EveryTenantOwnedEntity_IsFilteredToTheCurrentTenant()
    {
        var checkedTypes = await f.InTenantAsync(f.Alpha.TenantId, async sp =>
        {
            var db = sp.GetRequiredService<PortalDbContext>();
            var types = db.Model.GetEntityTypes().Where(t => typeof(ITenantOwned).IsAssignableFrom(t.ClrType)).Select(t => t.ClrType).ToList();
            var method = typeof(TenantIsolationTests).GetMethod(nameof(ForeignRowsVisibleAsync), BindingFlags.NonPublic | BindingFlags.Static)!;
            foreach (var type in types)
            {
                var (visibleForeign, total) = await (Task<(int, int)>)method.MakeGenericMethod(type).Invoke(null, [db, f.Alpha.TenantId])!;
                Assert.True(visibleForeign == 0, $"{type.Name}: {visibleForeign} rows of other tenants visible");
                Assert.True(total >= 0);
            }

            Assert.Equal(1, await db.Tenants.CountAsync());
            Assert.Equal(f.Alpha.TenantId, (await db.Tenants.SingleAsync()).Id);
            return types.Count;
        });
        Assert.True(checkedTypes >= 9, $"only {checkedTypes} tenant-owned types found");
    }

    [Fact]
    public async Task SavingARowOfAnotherTenant_IsRefused()
    {
        await f.InTenantAsync(f.Alpha.TenantId, async sp =>
        {
            var db = sp.GetRequiredService<PortalDbContext>();
            db.Services.Add(new Service { TenantId = f.Bravo.TenantId, Name = "Smuggled", DurationMinutes = 30 });
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
            return 0;
        });
    }

    [Fact]
    public async Task Anonymous_IsSentToSignIn_AndBusinessOwner_CannotOpenAdminJobs()
    {
        var anonymous = f.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        // "/" is the public landing page for a signed-out visitor; every other owner page sends them to sign in.
        var landing = await anonymous.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
        Assert.Contains("/Account/Login", await landing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        foreach (var path in Pages)
        {
            if (path == "/")
            {
                continue;
            }

            var response = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("/Account/Login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/admin/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await f.AlphaClient.GetAsync("/admin/jobs")).StatusCode);
        // A signed-in non-admin gets a real 403 on admin pages (every one is enumerated in AdminAuthorizationTests).
        Assert.Equal(HttpStatusCode.Forbidden, (await f.AlphaClient.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task PlatformAdmin_SeesEveryBusiness_AndTheJobsDashboard()
    {
        var admin = await f.SignInAsync(Portal.Domain.Seeding.DemoSeeder.AdminEmail, Portal.Domain.Seeding.DemoSeeder.DemoPassword);
        var html = await admin.GetStringAsync("/admin");
        Assert.Contains(IsolationFixture.BravoName, html, StringComparison.Ordinal);
        Assert.Contains(f.Alpha.Name, html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/jobs")).StatusCode);
    }

    private static async Task<(int VisibleForeign, int Total)> ForeignRowsVisibleAsync<T>(PortalDbContext db, Guid tenantId)
        where T : class, ITenantOwned
    {
        var visible = await db.Set<T>().ToListAsync();
        var all = await db.Set<T>().IgnoreQueryFilters().CountAsync(); // deliberately unfiltered: the baseline to compare against
        return (visible.Count(r => r.TenantId != tenantId), all);
    }

    private Task<int> CountTurnsAsync(Guid conversationId) =>
        f.InTenantAsync(f.Bravo.TenantId, sp => sp.GetRequiredService<PortalDbContext>().Turns.CountAsync(t => t.ConversationId == conversationId));
}
