using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Identity;

namespace Portal.Domain.Onboarding;

/// <summary>Details from onboarding step 1.</summary>
/// <param name="Name">Business name.</param>
/// <param name="Industry">Industry.</param>
/// <param name="TimeZoneId">IANA time zone id.</param>
/// <param name="Phone">Business phone (E.164) or null.</param>
/// <param name="Address">Street address.</param>
public sealed record BusinessDetails(string Name, Industry Industry, string TimeZoneId, string? Phone, string Address);

/// <summary>
/// Creates a tenant with its industry template (services, hours, FAQs and a persona), and binds
/// the owner to it. Used by onboarding step 1 and by the demo seeder.
/// </summary>
public sealed class TenantProvisioner(IDbContextFactory<PortalDbContext> contextFactory)
{
    /// <summary>
    /// Creates the tenant and its template rows in one transaction; returns the tenant id.
    /// <paramref name="template"/> is the industry template as the owner edited it (null: the stock one).
    /// Throws <see cref="ArgumentException"/> for an unknown time zone. <paramref name="customize"/> adjusts the new tenant and
    /// its agent before they are saved (an agency's client: its agency, its template instructions and voice).
    /// </summary>
    public async Task<Guid> CreateAsync(BusinessDetails details, Guid? ownerUserId, VerticalTemplate? template, CancellationToken cancellationToken,
        Action<Tenant, AgentPersona>? customize = null)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(details.TimeZoneId, out _))
        {
            throw new ArgumentException($"Unknown time zone '{details.TimeZoneId}'.", nameof(details));
        }

        template ??= VerticalTemplates.For(details.Industry);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var tenant = new Tenant
        {
            Name = details.Name.Trim(),
            Industry = details.Industry,
            TimeZoneId = details.TimeZoneId,
            Phone = details.Phone,
            Address = details.Address.Trim(),
            OnboardingStep = 1,
        };
        db.Tenants.Add(tenant);
        foreach (var s in template.Services)
        {
            db.Services.Add(new Service { TenantId = tenant.Id, Name = s.Name, DurationMinutes = s.DurationMinutes, PriceCents = s.PriceCents, Keywords = s.Keywords });
        }

        foreach (var h in template.Hours)
        {
            db.BusinessHours.Add(new BusinessHours { TenantId = tenant.Id, DayOfWeek = h.Day, Opens = h.Opens, Closes = h.Closes });
        }

        foreach (var (q, a) in template.Faqs)
        {
            db.KnowledgeDocuments.Add(KnowledgeDocument.NewFaq(tenant.Id, q, a));
        }

        var agent = new AgentPersona { TenantId = tenant.Id, Name = "Ava", Greeting = template.Greeting, VoiceId = "en-us" };
        customize?.Invoke(tenant, agent);
        db.AgentPersonas.Add(agent);
        await db.SaveChangesAsync(cancellationToken);
        if (ownerUserId is { } userId)
        {
            await db.Set<PortalUser>().Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.TenantId, tenant.Id), cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return tenant.Id;
    }
}
