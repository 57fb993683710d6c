using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Identity;
using Portal.Domain.Onboarding;

namespace Portal.Domain.Seeding;

/// <summary>
/// Makes a fresh database usable: migrations, roles, a platform admin, the sandbox number pool and
/// the demo business "Bright Smile Dental" with a live agent on a sandbox number. Idempotent.
/// </summary>
public sealed class DemoSeeder(
    IDbContextFactory<PortalDbContext> contextFactory,
    UserManager<PortalUser> users,
    RoleManager<IdentityRole<Guid>> roles,
    TenantProvisioner provisioner,
    TimeProvider timeProvider,
    ILogger<DemoSeeder> logger)
{
    /// <summary>Demo platform admin login.</summary>
    public const string AdminEmail = "admin@portal.local";

    /// <summary>Demo business owner login.</summary>
    public const string OwnerEmail = "owner@brightsmile.example";

    /// <summary>Password of both demo logins.</summary>
    public const string DemoPassword = "Portal!Demo1";

    /// <summary>Demo business name.</summary>
    public const string DemoBusinessName = "Bright Smile Dental";

    /// <summary>Sandbox pool: area code, region, locality. Numbers 555-0100..0119 in each (fictional range).</summary>
    public static readonly IReadOnlyList<(string AreaCode, string Region, string Locality)> SandboxAreas =
        [("212", "NY", "New York"), ("415", "CA", "San Francisco"), ("312", "IL", "Chicago"), ("512", "TX", "Austin"), ("305", "FL", "Miami")];

    /// <summary>Applies migrations and seeds; <paramref name="includeDemo"/> false seeds roles, admin and pool only.</summary>
    public async Task SeedAsync(bool includeDemo, CancellationToken cancellationToken)
    {
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            // Create the database and the migrations history table first: on an empty database EF's first query of the
            // history table would otherwise fail and log "Failed executing DbCommand" at error level on a normal first start.
            var creator = db.GetService<Microsoft.EntityFrameworkCore.Storage.IRelationalDatabaseCreator>();
            if (!await creator.ExistsAsync(cancellationToken))
            {
                await creator.CreateAsync(cancellationToken);
            }

            await db.GetService<Microsoft.EntityFrameworkCore.Migrations.IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
        }

        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole<Guid>(role));
            }
        }

        await EnsureUserAsync(AdminEmail, "Platform Admin", Roles.PlatformAdmin, null);
        await SeedPoolAsync(cancellationToken);
        await new CourseSeeder(contextFactory, timeProvider).SeedAsync(cancellationToken);
        if (includeDemo)
        {
            await SeedDemoBusinessAsync(cancellationToken);
            await SeedDemoWidgetAsync(cancellationToken);
        }
    }

    private async Task<PortalUser> EnsureUserAsync(string email, string displayName, string role, Guid? tenantId)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName, TenantId = tenantId, CreatedAt = timeProvider.GetUtcNow() };
            var result = await users.CreateAsync(user, DemoPassword);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Could not create {email}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
            }

            await users.AddToRoleAsync(user, role);
        }

        return user;
    }

    private async Task SeedPoolAsync(CancellationToken ct)
    {
        await using var db = await contextFactory.CreateDbContextAsync(ct);
        if (await db.PhoneNumbers.AnyAsync(p => p.Provider == "sandbox", ct))
        {
            return;
        }

        foreach (var (areaCode, region, locality) in SandboxAreas)
        {
            for (var i = 0; i < 20; i++)
            {
                db.PhoneNumbers.Add(new PhoneNumber
                {
                    E164 = $"+1{areaCode}55501{i:00}",
                    AreaCode = areaCode,
                    Region = region,
                    Locality = locality,
                    Provider = "sandbox",
                    Status = PhoneNumberStatus.Available,
                    MonthlyCostCents = 115,
                });
            }
        }

        await db.SaveChangesAsync(ct);
        logger.LogInformation("Seeded {Count} sandbox numbers", SandboxAreas.Count * 20);
    }

    private async Task SeedDemoBusinessAsync(CancellationToken ct)
    {
        await using var db = await contextFactory.CreateDbContextAsync(ct);
        // Seeding runs outside any tenant: look the demo tenant up explicitly.
        if (await db.Tenants.IgnoreQueryFilters().AnyAsync(t => t.Name == DemoBusinessName, ct))
        {
            return;
        }

        var owner = await EnsureUserAsync(OwnerEmail, "Dana Whitfield", Roles.BusinessOwner, null);
        var tenantId = await provisioner.CreateAsync(
            new BusinessDetails(DemoBusinessName, Industry.Dental, "America/New_York", "+12125550199", "120 Hudson Street, New York, NY 10013"),
            owner.Id, null, ct);
        var tenant = await db.Tenants.IgnoreQueryFilters().FirstAsync(t => t.Id == tenantId, ct);
        tenant.Status = TenantStatus.Active;
        tenant.OnboardingStep = 4;
        var persona = await db.AgentPersonas.IgnoreQueryFilters().FirstAsync(a => a.TenantId == tenantId, ct);
        persona.Name = "Sophie";
        persona.IsLive = true;
        persona.TransferNumber = "+12125550199";
        db.KnowledgeDocuments.Add(KnowledgeDocument.NewFaq(
            tenantId,
            "Do you offer payment plans?",
            "Yes. For treatments over $500 we offer interest-free payment plans over 6 or 12 months."));
        var number = await db.PhoneNumbers.FirstAsync(p => p.E164 == "+12125550100", ct);
        number.Status = PhoneNumberStatus.Assigned;
        number.TenantId = tenantId;
        number.AgentPersonaId = persona.Id;
        number.AssignedAt = timeProvider.GetUtcNow();
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Seeded demo business {Name}", DemoBusinessName);
    }

    /// <summary>
    /// The demo business's website chat widget, for the landing page's "try it in chat". It lists no other website: the
    /// widget edge always lets Portal's own origin in (<c>WidgetEdge.IsAllowed</c>), whatever host the app is served on.
    /// Added to a demo business seeded before the widget existed too.
    /// </summary>
    private async Task SeedDemoWidgetAsync(CancellationToken ct)
    {
        await using var db = await contextFactory.CreateDbContextAsync(ct);
        var demo = await db.Tenants.IgnoreQueryFilters().Where(t => t.Name == DemoBusinessName).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct);
        if (demo is not { } tenantId || await db.ChatWidgets.IgnoreQueryFilters().AnyAsync(w => w.TenantId == tenantId, ct))
        {
            return;
        }

        var persona = await db.AgentPersonas.IgnoreQueryFilters().Where(a => a.TenantId == tenantId).OrderBy(a => a.CreatedAt).FirstAsync(ct);
        db.ChatWidgets.Add(new ChatWidget { TenantId = tenantId, AgentPersonaId = persona.Id, PublicKey = LiveChat.WidgetSettingsService.NewPublicKey(), Colour = "#2F5BEA" });
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Seeded the demo chat widget of {Name}", DemoBusinessName);
    }
}
