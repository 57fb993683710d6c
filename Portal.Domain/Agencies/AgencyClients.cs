using System.Net.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Identity;
using Portal.Domain.Audit;
using Portal.Domain.Onboarding;

namespace Portal.Domain.Agencies;

/// <summary>A client business to create for an agency, with its owner's first login.</summary>
/// <param name="BusinessName">Business name.</param>
/// <param name="Industry">Industry (chooses the stock template under the agency's).</param>
/// <param name="TimeZoneId">IANA time zone.</param>
/// <param name="OwnerEmail">Owner's login.</param>
/// <param name="OwnerName">Owner's name.</param>
/// <param name="Password">Owner's first password.</param>
public sealed record NewClient(string BusinessName, Industry Industry, string TimeZoneId, string OwnerEmail, string OwnerName, string Password);

/// <summary>An agency's price for one client (integer cents, whole minutes).</summary>
/// <param name="Tier">Wholesale tier paid to Portal.</param>
/// <param name="MonthlyFeeCents">Fee charged to the client per month, 0–10,000,000 cents.</param>
/// <param name="IncludedMinutes">Minutes in the fee, 0–1,000,000.</param>
/// <param name="OverageCentsPerMinute">Each further minute, 0–10,000 cents.</param>
public sealed record ClientPrice(ResellerTier Tier, long MonthlyFeeCents, int IncludedMinutes, int OverageCentsPerMinute);

/// <summary>
/// An agency's client businesses: create one through the same provisioning as onboarding, pre-filled from the agency's
/// templates (greeting, instructions, voice, shared FAQs); suspend and reactivate; set its price. Every method checks
/// that the business is the signed-in member's agency's (tenants are read across the tenant filter, always narrowed to
/// <see cref="Tenant.AgencyId"/>), and is audited. Creating, suspending, reactivating and re-tiering a client keep the
/// agency's wholesale subscription in step (<see cref="IAgencyBillingSync"/>).
/// </summary>
public sealed class AgencyClients(IDbContextFactory<PortalDbContext> contextFactory, AgencyAccess access, AuditLog auditLog,
    UserManager<PortalUser> users, TenantProvisioner provisioner, BrandResolver brandResolver, IAgencyBillingSync billing)
{
    /// <summary>Whether the signed-in member's agency owns <paramref name="tenantId"/> (false for anyone else).</summary>
    public async Task<bool> OwnsAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var membership = await access.FindAsync(cancellationToken);
        if (membership is not { Status: AgencyStatus.Active })
        {
            return false;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Cross-tenant by design, narrowed to the member's agency.
        return await db.Tenants.IgnoreQueryFilters().AnyAsync(t => t.Id == tenantId && t.AgencyId == membership.AgencyId, cancellationToken);
    }

    /// <summary>The name of <paramref name="tenantId"/> when the signed-in member's agency owns it, else null.</summary>
    public async Task<string?> ClientNameAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        if (!await OwnsAsync(tenantId, cancellationToken))
        {
            return null;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // The member's own client (checked above), read across the tenant filter for its name.
        return await db.Tenants.IgnoreQueryFilters().Where(t => t.Id == tenantId).Select(t => t.Name).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Creates the client and its owner; returns the tenant id. The owner finishes onboarding (number, agent, knowledge) on first sign-in.</summary>
    /// <exception cref="UnauthorizedAccessException">Not a member of an active agency.</exception>
    /// <exception cref="ArgumentException">A bad name, email, time zone or password, or the email is taken; nothing is created.</exception>
    public async Task<Guid> CreateAsync(NewClient request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var membership = await access.RequireAsync(AgencyRole.Staff, cancellationToken);
        var name = (request.BusinessName ?? "").Trim();
        if (name.Length is 0 or > Tenant.NameMaxLength)
        {
            throw new ArgumentException($"Business name: 1–{Tenant.NameMaxLength} characters.", nameof(request));
        }

        if (!Enum.IsDefined(request.Industry) || !TimeZoneInfo.TryFindSystemTimeZoneById(request.TimeZoneId ?? "", out _))
        {
            throw new ArgumentException("Choose an industry and a time zone.", nameof(request));
        }

        var email = (request.OwnerEmail ?? "").Trim();
        if (!MailAddress.TryCreate(email, out var address) || address.Address != email)
        {
            throw new ArgumentException($"Owner email: '{email}' is not an email address.", nameof(request));
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var agency = await db.Agencies.AsNoTracking().FirstAsync(a => a.Id == membership.AgencyId, cancellationToken);
        var stock = VerticalTemplates.For(request.Industry);
        var template = stock with
        {
            Greeting = agency.TemplateGreeting ?? stock.Greeting,
            Faqs = [.. stock.Faqs, .. AgencySettings.SharedFaqs(agency.SharedKnowledge)],
        };
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = string.IsNullOrWhiteSpace(request.OwnerName) ? name : request.OwnerName.Trim() };
        var created = await users.CreateAsync(user, request.Password ?? "");
        if (!created.Succeeded)
        {
            throw new ArgumentException(string.Join(" ", created.Errors.Select(e => e.Description)), nameof(request));
        }

        Guid tenantId;
        try
        {
            await users.AddToRoleAsync(user, Roles.BusinessOwner);
            tenantId = await provisioner.CreateAsync(new BusinessDetails(name, request.Industry, request.TimeZoneId!, null, ""), user.Id, template, cancellationToken,
                (tenant, agent) =>
                {
                    tenant.AgencyId = agency.Id;
                    agent.CustomInstructions = agency.TemplateInstructions;
                    agent.VoiceId = agency.TemplateVoiceId ?? agent.VoiceId;
                });
        }
        catch
        {
            await users.DeleteAsync(user);
            throw;
        }

        var tier = ResellerPricing.Of(ResellerTier.Starter);
        db.AgencyClientPlans.Add(new AgencyClientPlan
        {
            TenantId = tenantId, AgencyId = agency.Id, Tier = tier.Tier,
            MonthlyFeeCents = tier.MonthlyFeeCents, IncludedMinutes = tier.IncludedMinutes, OverageCentsPerMinute = tier.OverageCentsPerMinute,
        });
        auditLog.Stage(db, membership.Actor, AuditActions.AgencyClientCreate, "Tenant", tenantId.ToString(), tenantId, new { name, owner = email });
        await db.SaveChangesAsync(cancellationToken);
        brandResolver.Forget();
        await billing.ClientsChangedAsync(agency.Id, cancellationToken);
        return tenantId;
    }

    /// <summary>Suspends (true) or reactivates (false) a client. False when it is not this agency's or already in that state.</summary>
    /// <exception cref="UnauthorizedAccessException">Not a member of an active agency.</exception>
    public async Task<bool> SetSuspendedAsync(Guid tenantId, bool suspended, CancellationToken cancellationToken)
    {
        var membership = await access.RequireAsync(AgencyRole.Staff, cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        // Cross-tenant by design, narrowed to the member's agency.
        var mine = db.Tenants.IgnoreQueryFilters().Where(t => t.Id == tenantId && t.AgencyId == membership.AgencyId);
        var changed = suspended
            ? await mine.Where(t => t.Status != TenantStatus.Suspended).ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TenantStatus.Suspended), cancellationToken)
            : await mine.Where(t => t.Status == TenantStatus.Suspended).ExecuteUpdateAsync(s => s.SetProperty(
                t => t.Status, t => t.OnboardingStep >= 4 ? TenantStatus.Active : TenantStatus.Onboarding), cancellationToken);
        if (changed == 0)
        {
            return false;
        }

        auditLog.Stage(db, membership.Actor, AuditActions.AgencyClientStatus, "Tenant", tenantId.ToString(), tenantId, new { suspended });
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        await billing.ClientsChangedAsync(membership.AgencyId, cancellationToken);
        return true;
    }

    /// <summary>Sets a client's price and wholesale tier.</summary>
    /// <exception cref="UnauthorizedAccessException">Not an owner.</exception>
    /// <exception cref="ArgumentException">An amount out of range; nothing changes.</exception>
    /// <exception cref="KeyNotFoundException">Not this agency's client.</exception>
    public async Task SetPriceAsync(Guid tenantId, ClientPrice price, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(price);
        var membership = await access.RequireAsync(AgencyRole.Owner, cancellationToken);
        if (!Enum.IsDefined(price.Tier) || price.MonthlyFeeCents is < 0 or > 10_000_000 || price.IncludedMinutes is < 0 or > 1_000_000
            || price.OverageCentsPerMinute is < 0 or > 10_000)
        {
            throw new ArgumentException("Fee 0–$100,000, included minutes 0–1,000,000, overage 0–$100 a minute.", nameof(price));
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Cross-tenant by design, narrowed to the member's agency.
        if (!await db.Tenants.IgnoreQueryFilters().AnyAsync(t => t.Id == tenantId && t.AgencyId == membership.AgencyId, cancellationToken))
        {
            throw new KeyNotFoundException("No such client.");
        }

        var plan = await db.AgencyClientPlans.IgnoreQueryFilters().FirstOrDefaultAsync(p => p.TenantId == tenantId, cancellationToken);
        if (plan is null)
        {
            plan = new AgencyClientPlan { TenantId = tenantId, AgencyId = membership.AgencyId };
            db.AgencyClientPlans.Add(plan);
        }

        var retiered = plan.Tier != price.Tier || db.Entry(plan).State == EntityState.Added;
        (plan.Tier, plan.MonthlyFeeCents, plan.IncludedMinutes, plan.OverageCentsPerMinute) = (price.Tier, price.MonthlyFeeCents, price.IncludedMinutes, price.OverageCentsPerMinute);
        auditLog.Stage(db, membership.Actor, AuditActions.AgencyClientPlan, "Tenant", tenantId.ToString(), tenantId, price);
        await db.SaveChangesAsync(cancellationToken);
        if (retiered)
        {
            await billing.ClientsChangedAsync(membership.AgencyId, cancellationToken);
        }
    }
}
