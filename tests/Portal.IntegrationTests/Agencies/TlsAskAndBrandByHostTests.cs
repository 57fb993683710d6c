using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Agencies;

namespace Portal.IntegrationTests.Agencies;

/// <summary>The on-demand TLS <c>ask</c> endpoint and the brand chosen by the request's host, through the real app.</summary>
public sealed class TlsAskAndBrandByHostTests(AgencyAppFactory app) : IClassFixture<AgencyAppFactory>
{
    [Fact]
    public async Task Ask_AnswersOkOnlyForVerifiedDomains()
    {
        var a = await app.CreateAgencyAsync("Ask Agency");
        var pending = await app.AsOwnerAsync(a, sp => sp.GetRequiredService<AgencyDomains>().AddAsync("app.ask-agency.test", CancellationToken.None));
        using var http = app.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/tls/ask?domain=app.ask-agency.test")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/tls/ask?domain=unknown.example.test")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/tls/ask")).StatusCode);

        // The agency publishes its records; "check now" verifies and the ask answers 200 at once (the cached "no" is dropped).
        app.Dns.Cname(pending.Records.CnameName, pending.Records.CnameTarget).Txt(pending.Records.TxtName, pending.Records.TxtValue);
        var verified = await app.AsOwnerAsync(a, sp => sp.GetRequiredService<AgencyDomains>().VerifyAsync(pending.Id, CancellationToken.None));

        Assert.Equal(DomainStatus.Verified, verified.Status);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/tls/ask?domain=app.ask-agency.test")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/tls/ask?domain=APP.Ask-Agency.test.")).StatusCode);
    }

    [Fact]
    public async Task Verify_WithWrongTxt_StaysPendingWithTheReason()
    {
        var a = await app.CreateAgencyAsync("Wrong Agency");
        var domain = await app.AsOwnerAsync(a, sp => sp.GetRequiredService<AgencyDomains>().AddAsync("app.wrong-agency.test", CancellationToken.None));
        app.Dns.Cname(domain.Records.CnameName, domain.Records.CnameTarget).Txt(domain.Records.TxtName, "portal-verification=not-the-token");

        var checkedDomain = await app.AsOwnerAsync(a, sp => sp.GetRequiredService<AgencyDomains>().VerifyAsync(domain.Id, CancellationToken.None));

        Assert.Equal(DomainStatus.Pending, checkedDomain.Status);
        Assert.Contains("TXT", checkedDomain.LastError, StringComparison.Ordinal);
        using var http = app.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/tls/ask?domain=app.wrong-agency.test")).StatusCode);
    }

    [Fact]
    public async Task AnotherAgency_CannotVerifyOrRemoveTheDomain()
    {
        var a = await app.CreateAgencyAsync("Owner Agency");
        var b = await app.CreateAgencyAsync("Other Agency");
        var domain = await app.AsOwnerAsync(a, sp => sp.GetRequiredService<AgencyDomains>().AddAsync("app.owner-agency.test", CancellationToken.None));

        await Assert.ThrowsAsync<KeyNotFoundException>(() => app.AsOwnerAsync(b, sp => sp.GetRequiredService<AgencyDomains>().VerifyAsync(domain.Id, CancellationToken.None)));
        Assert.False(await app.AsOwnerAsync(b, sp => sp.GetRequiredService<AgencyDomains>().RemoveAsync(domain.Id, CancellationToken.None)));
        Assert.Empty(await app.AsOwnerAsync(b, sp => sp.GetRequiredService<AgencyDomains>().ListAsync(CancellationToken.None)));
        await Assert.ThrowsAsync<ArgumentException>(() => app.AsOwnerAsync(b, sp => sp.GetRequiredService<AgencyDomains>().AddAsync("app.owner-agency.test", CancellationToken.None)));
    }

    [Fact]
    public async Task SignInPage_OnAVerifiedDomain_CarriesTheAgencyBrandNotPortals()
    {
        var a = await app.CreateAgencyAsync("Zeta Reception Co");
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            db.AgencyDomains.Add(new AgencyDomain { AgencyId = a.AgencyId, Host = "app.zeta.test", VerificationToken = "t", Status = DomainStatus.Verified });
            await db.SaveChangesAsync();
        }

        using var http = app.CreateClient();
        using var onAgencyHost = new HttpRequestMessage(HttpMethod.Get, "/Account/Login");
        onAgencyHost.Headers.Host = "app.zeta.test";
        var branded = System.Net.WebUtility.HtmlDecode(await (await http.SendAsync(onAgencyHost)).Content.ReadAsStringAsync());
        var plain = await http.GetStringAsync("/Account/Login");

        Assert.Contains("<title>Sign in · Zeta Reception Co</title>", branded, StringComparison.Ordinal);
        Assert.Matches("data-testid=\"brand-name\"[^>]*>Zeta Reception Co</", branded);
        Assert.Contains("© Zeta Reception Co LLC", branded, StringComparison.Ordinal);
        // MudBlazor writes the theme's primary colour (#7B1FA2) as rgba() in its CSS variables.
        Assert.Matches(new System.Text.RegularExpressions.Regex(@"--mud-palette-primary:\s*(#7B1FA2|rgba\(123,\s*31,\s*162)", System.Text.RegularExpressions.RegexOptions.IgnoreCase), branded);
        Assert.DoesNotContain(">Portal<", branded, StringComparison.Ordinal);
        Assert.DoesNotContain("· Portal</title>", branded, StringComparison.Ordinal);
        Assert.Contains("<title>Sign in · Portal</title>", plain, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_AnonymousOnAVerifiedDomain_GoesToTheBrandedSignIn_NotPortalsLandingPage()
    {
        var a = await app.CreateAgencyAsync("Theta Reception Co");
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            db.AgencyDomains.Add(new AgencyDomain { AgencyId = a.AgencyId, Host = "app.theta.test", VerificationToken = "t", Status = DomainStatus.Verified });
            await db.SaveChangesAsync();
        }

        using var http = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var onAgencyHost = new HttpRequestMessage(HttpMethod.Get, "/");
        onAgencyHost.Headers.Host = "app.theta.test";
        var root = await http.SendAsync(onAgencyHost);

        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/Account/Login", root.Headers.Location!.OriginalString);
        using var signIn = new HttpRequestMessage(HttpMethod.Get, root.Headers.Location);
        signIn.Headers.Host = "app.theta.test";
        var page = System.Net.WebUtility.HtmlDecode(await (await http.SendAsync(signIn)).Content.ReadAsStringAsync());
        Assert.Contains("<title>Sign in · Theta Reception Co</title>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Every call answered", page, StringComparison.Ordinal);

        // Portal's own host still serves its landing page at /.
        var own = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains("Every call answered", await own.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientOwner_OnPortalsOwnHost_SeesTheAgencyBrandOnceSignedIn()
    {
        var a = await app.CreateAgencyAsync("Eta Agency");
        var (_, owner) = await app.CreateClientAsync(a, "Eta Client");

        using var client = await app.SignInAsync(owner, AgencyAppFactory.Password);
        var page = await client.GetStringAsync("/onboarding");

        Assert.Contains("Eta Agency", page, StringComparison.Ordinal);
        Assert.DoesNotContain("· Portal</title>", page, StringComparison.Ordinal);
    }
}
