using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Domain.Knowledge;
using Portal.Domain.Numbers;

namespace Portal.Domain.Onboarding;

/// <summary>Where the wizard stands: the business and its first agent (untracked copies).</summary>
/// <param name="Business">The business.</param>
/// <param name="Agent">Its first created agent persona.</param>
public sealed record OnboardingState(Tenant Business, AgentPersona Agent);

/// <summary>The wizard's agent step.</summary>
/// <param name="Name">The agent's name (required).</param>
/// <param name="Greeting">What callers hear first (required, up to <see cref="AgentPersona.GreetingMaxLength"/> characters).</param>
/// <param name="Personality">Tone.</param>
/// <param name="CustomInstructions">Extra instructions, or null.</param>
/// <param name="TransferNumber">Transfer number in any phone form, or null.</param>
/// <param name="VoiceId">The synthesis voice.</param>
public sealed record OnboardingAgent(string Name, string Greeting, Personality Personality, string? CustomInstructions, string? TransferNumber, string VoiceId);

/// <summary>
/// The onboarding wizard's writes for the current business after it was created (<see cref="TenantProvisioner"/> creates
/// it): the business step, the agent step, the step reached and going live. Each invalidates
/// <see cref="BusinessProfileCache"/> (and going live the knowledge index) itself. The tenant query filter scopes every
/// query; bad input throws <see cref="ArgumentException"/> and changes nothing.
/// </summary>
public sealed class OnboardingService(IDbContextFactory<PortalDbContext> contextFactory, Portal.Data.Tenancy.ITenantContext tenantContext, NumberPool pool, BusinessProfileCache profiles, IKnowledgeBase knowledge)
{
    /// <summary>The step count: business, number, agent, knowledge; <see cref="Tenant.OnboardingStep"/> at this value means live.</summary>
    public const int Steps = 4;

    /// <summary>The business and its first agent, or null when the current tenant has none.</summary>
    public async Task<OnboardingState?> GetAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var business = await db.Tenants.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        var agent = await db.AgentPersonas.AsNoTracking().OrderBy(a => a.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        return business is null || agent is null ? null : new OnboardingState(business, agent);
    }

    /// <summary>Saves the business step for an existing business (the industry is fixed once created).</summary>
    /// <exception cref="ArgumentException">A blank or long name or address, an unknown zone, a bad phone.</exception>
    public async Task SaveBusinessAsync(string name, string timeZoneId, string? phone, string address, CancellationToken cancellationToken)
    {
        name = (name ?? "").Trim();
        address = (address ?? "").Trim();
        if (name.Length is 0 or > Tenant.NameMaxLength || address.Length > Tenant.AddressMaxLength)
        {
            throw new ArgumentException($"The business needs a name (at most {Tenant.NameMaxLength} characters) and an address of at most {Tenant.AddressMaxLength}.", nameof(name));
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId ?? "", out _))
        {
            throw new ArgumentException("Choose a time zone.", nameof(timeZoneId));
        }

        var e164 = string.IsNullOrWhiteSpace(phone) ? null : E164.TryNormalize(phone) ?? throw new ArgumentException("Enter a valid phone number.", nameof(phone));
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var tenant = await db.Tenants.FirstAsync(cancellationToken);
        tenant.Name = name;
        tenant.TimeZoneId = timeZoneId!;
        tenant.Phone = e164;
        tenant.Address = address;
        tenant.FactsVersion++;
        await db.SaveChangesAsync(cancellationToken);
        profiles.Invalidate(tenant.Id);
    }

    /// <summary>Saves the agent step into persona <paramref name="agentId"/>.</summary>
    /// <exception cref="ArgumentException">A blank name or greeting, or a transfer number that is not a phone number.</exception>
    public async Task SaveAgentAsync(Guid agentId, OnboardingAgent agent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (string.IsNullOrWhiteSpace(agent.Name) || string.IsNullOrWhiteSpace(agent.Greeting) || agent.Greeting.Trim().Length > AgentPersona.GreetingMaxLength)
        {
            throw new ArgumentException("Give your agent a name and a greeting.", nameof(agent));
        }

        var transfer = string.IsNullOrWhiteSpace(agent.TransferNumber)
            ? null
            : E164.TryNormalize(agent.TransferNumber) ?? throw new ArgumentException("The transfer number is not a valid phone number.", nameof(agent));
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var persona = await db.AgentPersonas.FirstAsync(a => a.Id == agentId, cancellationToken);
        persona.Name = agent.Name.Trim();
        persona.Greeting = agent.Greeting.Trim();
        persona.Personality = agent.Personality;
        persona.CustomInstructions = agent.CustomInstructions;
        persona.TransferNumber = transfer;
        persona.VoiceId = agent.VoiceId;
        await db.SaveChangesAsync(cancellationToken);
        profiles.Invalidate(persona.TenantId);
    }

    /// <summary>Remembers that the wizard reached <paramref name="step"/> (never moves back).</summary>
    public async Task SaveStepAsync(int step, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var tenant = await db.Tenants.FirstAsync(cancellationToken);
        if (tenant.OnboardingStep < step)
        {
            tenant.OnboardingStep = Math.Min(step, Steps);
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Assigns the number the business holds to <paramref name="agentId"/> and makes the business live. Returns false
    /// (nothing changed) when the business holds no number any more (the reservation expired).
    /// </summary>
    /// <exception cref="InvalidOperationException">There is no current business.</exception>
    public async Task<bool> GoLiveAsync(Guid agentId, CancellationToken cancellationToken)
    {
        var tenantId = tenantContext.TenantId ?? throw new InvalidOperationException("Going live needs a current business.");
        var held = await pool.HeldByAsync(tenantId, cancellationToken);
        if (held is null || !await pool.AssignAsync(tenantId, held.Id, agentId, cancellationToken))
        {
            return false;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var persona = await db.AgentPersonas.FirstAsync(a => a.Id == agentId, cancellationToken);
        persona.IsLive = true;
        var tenant = await db.Tenants.FirstAsync(cancellationToken);
        tenant.Status = TenantStatus.Active;
        tenant.OnboardingStep = Steps;
        tenant.FactsVersion++;
        await db.SaveChangesAsync(cancellationToken);
        profiles.Invalidate(tenant.Id);
        knowledge.Invalidate(tenant.Id);
        return true;
    }
}
