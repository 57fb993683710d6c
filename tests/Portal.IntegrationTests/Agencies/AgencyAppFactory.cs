using System.Security.Claims;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Identity;
using Portal.Domain.Agencies;
using Portal.Fakes.Dns;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.Agencies;

/// <summary>An agency and its owner's login.</summary>
public sealed record TestAgency(Guid AgencyId, string Name, Guid OwnerId, string OwnerEmail);

/// <summary>The app with the local DNS server configured for domain checks, and helpers to act as agency members.</summary>
public class AgencyAppFactory : PortalAppFactory
{
    public const string CnameTarget = "domains.portal.test";

    public FakeDnsServer Dns { get; } = new();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Dns.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Agencies:DnsServer", Dns.EndPoint);
        builder.UseSetting("Agencies:CnameTarget", CnameTarget);
        builder.UseSetting("Agencies:AskCacheSeconds", "60");
    }

    /// <summary>An active agency with an owner (created the way a platform admin does, minus the page).</summary>
    public async Task<TestAgency> CreateAgencyAsync(string name)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var email = $"{Guid.NewGuid():N}@agency.test";
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name + " owner" };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        await users.AddToRoleAsync(user, Roles.AgencyOwner);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var agency = new Agency { Name = name, Status = AgencyStatus.Active, PrimaryColor = "#7B1FA2", SecondaryColor = "#FF8F00", LegalFooter = $"© {name} LLC" };
        db.Agencies.Add(agency);
        db.AgencyMembers.Add(new AgencyMember { AgencyId = agency.Id, UserId = user.Id, Role = AgencyRole.Owner });
        await db.SaveChangesAsync();
        return new TestAgency(agency.Id, name, user.Id, email);
    }

    /// <summary>Runs <paramref name="action"/> in a scope whose signed-in user is <paramref name="userId"/> with <paramref name="roles"/> (as an endpoint sees it).</summary>
    public async Task<T> AsUserAsync<T>(Guid userId, string email, string[] roles, Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, userId.ToString()), new(ClaimTypes.Email, email), new(ClaimTypes.Name, email) };
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>().HttpContext = new DefaultHttpContext
        {
            User = new ClaimsPrincipal(new ClaimsIdentity(claims, "Test")),
            RequestServices = scope.ServiceProvider,
        };
        return await action(scope.ServiceProvider);
    }

    /// <summary>Runs <paramref name="action"/> as the agency's owner.</summary>
    public Task<T> AsOwnerAsync<T>(TestAgency agency, Func<IServiceProvider, Task<T>> action) =>
        AsUserAsync(agency.OwnerId, agency.OwnerEmail, [Roles.AgencyOwner], action);

    /// <summary>Creates a client of <paramref name="agency"/> through <see cref="AgencyClients"/>; returns its id and owner email.</summary>
    public async Task<(Guid TenantId, string OwnerEmail)> CreateClientAsync(TestAgency agency, string name)
    {
        var email = $"{Guid.NewGuid():N}@client.test";
        var id = await AsOwnerAsync(agency, sp => sp.GetRequiredService<AgencyClients>().CreateAsync(
            new NewClient(name, Portal.Data.Entities.Industry.Dental, "America/Chicago", email, name + " owner", Password), CancellationToken.None));
        return (id, email);
    }
}
