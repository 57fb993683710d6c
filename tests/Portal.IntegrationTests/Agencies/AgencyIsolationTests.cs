using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Identity;
using Portal.Domain.Agencies;
using Portal.Domain.Audit;

namespace Portal.IntegrationTests.Agencies;

/// <summary>Two agencies with clients: each agency sees and acts on its own clients only, and a client sees neither another client nor the agency.</summary>
public sealed partial class AgencyIsolationTests(AgencyAppFactory app) : IClassFixture<AgencyAppFactory>
{
    [Fact]
    public async Task Services_AgencyActsOnlyOnItsOwnClients()
    {
        var a = await app.CreateAgencyAsync("Alpha Agency");
        var b = await app.CreateAgencyAsync("Beta Agency");
        var (a1, _) = await app.CreateClientAsync(a, "Alpha Dental One");
        var (a2, _) = await app.CreateClientAsync(a, "Alpha Dental Two");
        var (b1, _) = await app.CreateClientAsync(b, "Beta Dental");

        var seenByA = await app.AsOwnerAsync(a, sp => sp.GetRequiredService<AgencyUsage>().MonthAsync(CancellationToken.None));
        var seenByB = await app.AsOwnerAsync(b, sp => sp.GetRequiredService<AgencyUsage>().MonthAsync(CancellationToken.None));

        Assert.Equal(new[] { a1, a2 }.Order(), seenByA.Clients.Select(c => c.TenantId).Order());
        Assert.Equal(new[] { b1 }, seenByB.Clients.Select(c => c.TenantId));
        Assert.False(await app.AsOwnerAsync(b, sp => sp.GetRequiredService<AgencyClients>().OwnsAsync(a1, CancellationToken.None)));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => app.AsOwnerAsync(b, async sp =>
        {
            await sp.GetRequiredService<AgencyClients>().SetPriceAsync(a1, new ClientPrice(ResellerTier.Growth, 1, 1, 1), CancellationToken.None);
            return 0;
        }));
        Assert.False(await app.AsOwnerAsync(b, sp => sp.GetRequiredService<AgencyClients>().SetSuspendedAsync(a1, true, CancellationToken.None)));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => app.AsOwnerAsync(b, sp => sp.GetRequiredService<AgencyClientKeys>().ListAsync(a1, CancellationToken.None)));

        // Nothing of Alpha's changed.
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var alphaOne = await db.Tenants.IgnoreQueryFilters().SingleAsync(t => t.Id == a1);
        Assert.NotEqual(TenantStatus.Suspended, alphaOne.Status);
        Assert.Equal(ResellerTier.Starter, (await db.AgencyClientPlans.IgnoreQueryFilters().SingleAsync(p => p.TenantId == a1)).Tier);
        Assert.Equal(a.AgencyId, alphaOne.AgencyId);
    }

    [Fact]
    public async Task Create_PrefillsFromTheAgencyTemplates()
    {
        var a = await app.CreateAgencyAsync("Template Agency");
        await app.AsOwnerAsync(a, async sp =>
        {
            var settings = sp.GetRequiredService<AgencySettings>();
            await settings.UpdateAsync(new AgencyBrandSettings("Template Agency", "#123456", "#654321", "help@template.test", "+1 212 736 0000", "Template Team", "TMPL", "© Template",
                "Hi, {businessName} here, {agentName} speaking.", "Always mention our loyalty card.", null, "Do you have parking? | Yes, free parking behind the building."), CancellationToken.None);
            return 0;
        });

        var (client, _) = await app.CreateClientAsync(a, "Templated Dental");

        var (greeting, instructions, faq) = await app.InTenantAsync(client, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var agent = await db.AgentPersonas.SingleAsync();
            var faqs = await db.KnowledgeDocuments.Select(d => d.Title).ToListAsync();
            return (agent.Greeting, agent.CustomInstructions, faqs);
        });
        Assert.Equal("Hi, {businessName} here, {agentName} speaking.", greeting);
        Assert.Equal("Always mention our loyalty card.", instructions);
        Assert.Contains(faq, t => t.Contains("parking", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Http_ViewAsAndUsageCsv_AreLimitedToTheAgencysOwnClients()
    {
        var a = await app.CreateAgencyAsync("Gamma Agency");
        var b = await app.CreateAgencyAsync("Delta Agency");
        var (g1, g1Owner) = await app.CreateClientAsync(a, "Gamma Client");
        var (d1, _) = await app.CreateClientAsync(b, "Delta Client");

        using var deltaOwner = await app.SignInAsync(b.OwnerEmail, AgencyAppFactory.Password);
        var token = await TokenAsync(deltaOwner, "/agency/clients");
        var refused = await deltaOwner.PostAsync($"/agency/clients/{g1}/view-as", Form(token));
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        var deltaCsv = await deltaOwner.GetStringAsync("/agency/usage.csv");
        Assert.Contains("Delta Client", deltaCsv, StringComparison.Ordinal);
        Assert.DoesNotContain("Gamma", deltaCsv, StringComparison.Ordinal);

        using var gammaOwner = await app.SignInAsync(a.OwnerEmail, AgencyAppFactory.Password);
        token = await TokenAsync(gammaOwner, "/agency/clients");
        var viewing = await gammaOwner.PostAsync($"/agency/clients/{g1}/view-as", Form(token));
        Assert.Equal(HttpStatusCode.Redirect, viewing.StatusCode);
        // A new client resumes onboarding: its portal opens on the wizard, as the client's owner.
        var portal = await gammaOwner.GetStringAsync("/onboarding");
        Assert.Contains("Gamma Client", portal, StringComparison.Ordinal);
        Assert.DoesNotContain("Delta Client", portal, StringComparison.Ordinal);
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.TenantImpersonateStart && e.TenantId == g1 && e.ActorUserId == a.OwnerId));
        }

        // The client's owner cannot reach the agency's pages or export, nor another client's data.
        using var clientOwner = await app.SignInAsync(g1Owner, AgencyAppFactory.Password);
        var csv = await clientOwner.GetAsync("/agency/usage.csv");
        Assert.NotEqual(HttpStatusCode.OK, csv.StatusCode);
        var clients = await clientOwner.GetAsync("/agency/clients");
        Assert.NotEqual(HttpStatusCode.OK, clients.StatusCode);
        token = await TokenAsync(clientOwner, "/onboarding");
        var clientViewAs = await clientOwner.PostAsync($"/agency/clients/{d1}/view-as", Form(token));
        Assert.True(clientViewAs.StatusCode == HttpStatusCode.Forbidden || clientViewAs.Headers.Location?.ToString().Contains("AccessDenied", StringComparison.Ordinal) == true,
            $"{(int)clientViewAs.StatusCode} {clientViewAs.Headers.Location}");
        Assert.False(clientViewAs.Headers.Contains("Set-Cookie") && clientViewAs.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("Portal.ViewAs=", StringComparison.Ordinal) && !c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task Usage_MarginMatchesAnIndependentCalculation()
    {
        var a = await app.CreateAgencyAsync("Epsilon Agency");
        var (client, _) = await app.CreateClientAsync(a, "Epsilon Client");
        await app.AsOwnerAsync(a, async sp =>
        {
            await sp.GetRequiredService<AgencyClients>().SetPriceAsync(client, new ClientPrice(ResellerTier.Growth, 25_000, 2, 50), CancellationToken.None);
            return 0;
        });
        // Three calls this month: 61 s, 125 s and 30 s → 2 + 3 + 1 = 6 billable minutes; a test-console chat does not count.
        await app.InTenantAsync(client, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var agent = await db.AgentPersonas.SingleAsync();
            var now = DateTimeOffset.UtcNow;
            foreach (var seconds in new[] { 61, 125, 30 })
            {
                db.Conversations.Add(new Conversation { TenantId = client, AgentPersonaId = agent.Id, Channel = Channel.Voice, StartedAt = now, EndedAt = now.AddSeconds(seconds), DurationSeconds = seconds });
            }

            db.Conversations.Add(new Conversation { TenantId = client, AgentPersonaId = agent.Id, Channel = Channel.Test, IsTest = true, StartedAt = now, EndedAt = now.AddSeconds(600) });
            await db.SaveChangesAsync();
            return 0;
        });

        var usage = (await app.AsOwnerAsync(a, sp => sp.GetRequiredService<AgencyUsage>().MonthAsync(CancellationToken.None))).Clients.Single();

        const long minutes = 6;
        const long charge = 25_000 + ((minutes - 2) * 50);      // $250 fee, 2 included, $0.50 beyond
        const long wholesale = 19_900;                          // Growth: $199 with 1,500 included
        Assert.Equal(3, usage.Calls);
        Assert.Equal(minutes, usage.Money.Minutes);
        Assert.Equal(charge, usage.Money.ChargeCents);
        Assert.Equal(wholesale, usage.Money.WholesaleCents);
        Assert.Equal(charge - wholesale, usage.Money.MarginCents);
        Assert.True(usage.NearLimit);
    }

    private static FormUrlEncodedContent Form(string token) => new(new Dictionary<string, string> { ["__RequestVerificationToken"] = token });

    private static async Task<string> TokenAsync(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(page);
        return WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value);
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
