using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Domain.Audit;

/// <summary>Action names written to the audit log, one constant each so pages can filter by them.</summary>
public static class AuditActions
{
    /// <summary>A number was suspended.</summary>
    public const string NumberSuspend = "number.suspend";

    /// <summary>A suspended number was reactivated.</summary>
    public const string NumberReactivate = "number.reactivate";

    /// <summary>A number was released back to the pool.</summary>
    public const string NumberRelease = "number.release";

    /// <summary>A tenant was suspended.</summary>
    public const string TenantSuspend = "tenant.suspend";

    /// <summary>A suspended tenant was reactivated.</summary>
    public const string TenantReactivate = "tenant.reactivate";

    /// <summary>A business was moved to another price plan.</summary>
    public const string TenantChangePlan = "tenant.change-plan";

    /// <summary>A number left the pool for good and is given back to the provider.</summary>
    public const string NumberRetire = "number.retire";

    /// <summary>The platform's language-model provider, model, base URL or key changed (the key itself is never written).</summary>
    public const string LanguageModelChange = "platform.language-model";

    /// <summary>A number was moved to another business's agent.</summary>
    public const string NumberReassign = "number.reassign";

    /// <summary>A number's webhooks were pointed back at Portal after reconciliation found drift.</summary>
    public const string NumberFixWebhook = "number.fix-webhook";

    /// <summary>An admin asked to buy numbers (a purchase batch).</summary>
    public const string NumbersPurchase = "numbers.purchase";

    /// <summary>An admin started viewing the portal as a business.</summary>
    public const string TenantImpersonateStart = "tenant.impersonate.start";

    /// <summary>An admin stopped viewing the portal as a business.</summary>
    public const string TenantImpersonateEnd = "tenant.impersonate.end";

    /// <summary>A platform admin created an agency.</summary>
    public const string AgencyCreate = "agency.create";

    /// <summary>A platform admin approved a signed-up agency.</summary>
    public const string AgencyApprove = "agency.approve";

    /// <summary>An agency changed its brand.</summary>
    public const string AgencyBrand = "agency.brand";

    /// <summary>An agency added, verified or removed a custom domain.</summary>
    public const string AgencyDomain = "agency.domain";

    /// <summary>An agency created a client business.</summary>
    public const string AgencyClientCreate = "agency.client.create";

    /// <summary>An agency suspended or reactivated a client business.</summary>
    public const string AgencyClientStatus = "agency.client.status";

    /// <summary>An agency set a client's price.</summary>
    public const string AgencyClientPlan = "agency.client.plan";

    /// <summary>An agency owner invited a member.</summary>
    public const string AgencyMemberAdd = "agency.member.add";

    /// <summary>An agency owner removed a member.</summary>
    public const string AgencyMemberRemove = "agency.member.remove";

    /// <summary>An agency managed a client's webhook endpoint (added, paused, resumed, deleted).</summary>
    public const string AgencyClientWebhook = "agency.client.webhook";

    /// <summary>A business user changed a customer's notes.</summary>
    public const string CustomerNotes = "customer.notes";

    /// <summary>Every action, for the audit page's filter.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        NumberSuspend, NumberReactivate, NumberRelease, NumberReassign, NumberFixWebhook, NumbersPurchase, NumberRetire,
        TenantSuspend, TenantReactivate, TenantChangePlan, TenantImpersonateStart, TenantImpersonateEnd, LanguageModelChange,
        AgencyCreate, AgencyApprove, AgencyBrand, AgencyDomain, AgencyClientCreate, AgencyClientStatus, AgencyClientPlan,
        AgencyMemberAdd, AgencyMemberRemove, AgencyClientWebhook, CustomerNotes,
    ];
}

/// <summary>Who is acting: the signed-in user of the request or circuit. The web layer implements it.</summary>
public interface ICurrentUser
{
    /// <summary>The signed-in user, or null when nobody is signed in.</summary>
    Task<Actor?> GetAsync(CancellationToken cancellationToken);
}

/// <summary>A signed-in user as the audit log records it.</summary>
/// <param name="UserId">Identity user id.</param>
/// <param name="Email">Email (user name) at the time.</param>
/// <param name="IsPlatformAdmin">Whether the user holds the platform-admin role.</param>
public sealed record Actor(Guid UserId, string Email, bool IsPlatformAdmin);

/// <summary>Filter for <see cref="AuditLog.ListAsync"/>: exact action, and an inclusive-from, exclusive-to UTC range.</summary>
public sealed record AuditQuery(string? Action = null, DateTimeOffset? FromUtc = null, DateTimeOffset? ToUtc = null, int Limit = 200);

/// <summary>
/// The append-only platform audit log. <see cref="RecordAsync"/> writes one entry on its own;
/// <see cref="Stage"/> adds one to a context the caller saves, so the change and its entry commit
/// together. There is deliberately no update or delete.
/// </summary>
public sealed class AuditLog(IDbContextFactory<PortalDbContext> contextFactory, ICurrentUser currentUser, TimeProvider timeProvider)
{
    /// <summary>Writes one entry for the current user. Throws <see cref="UnauthorizedAccessException"/> when nobody is signed in.</summary>
    public async Task<AuditEntry> RecordAsync(string action, string targetType, string targetId, Guid? tenantId, object? details, CancellationToken cancellationToken)
    {
        var actor = await RequireActorAsync(cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var entry = Stage(db, actor, action, targetType, targetId, tenantId, details);
        await db.SaveChangesAsync(cancellationToken);
        return entry;
    }

    /// <summary>The current user, or <see cref="UnauthorizedAccessException"/> when nobody is signed in.</summary>
    public async Task<Actor> RequireActorAsync(CancellationToken cancellationToken) =>
        await currentUser.GetAsync(cancellationToken) ?? throw new UnauthorizedAccessException("Audited actions need a signed-in user.");

    /// <summary>Adds an entry to <paramref name="db"/> without saving it.</summary>
    public AuditEntry Stage(PortalDbContext db, Actor actor, string action, string targetType, string targetId, Guid? tenantId, object? details)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(actor);
        var entry = new AuditEntry
        {
            At = timeProvider.GetUtcNow(),
            ActorUserId = actor.UserId,
            ActorEmail = actor.Email,
            Action = action,
            TargetType = targetType,
            TargetId = targetId,
            TenantId = tenantId,
            Details = details is null ? null : JsonSerializer.Serialize(details),
        };
        db.AuditEntries.Add(entry);
        return entry;
    }

    /// <summary>Entries matching <paramref name="query"/>, newest first, at most <see cref="AuditQuery.Limit"/>.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var entries = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            entries = entries.Where(e => e.Action == query.Action);
        }

        if (query.FromUtc is { } from)
        {
            entries = entries.Where(e => e.At >= from);
        }

        if (query.ToUtc is { } to)
        {
            entries = entries.Where(e => e.At < to);
        }

        return await entries.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(Math.Clamp(query.Limit, 1, 1000)).ToListAsync(cancellationToken);
    }
}
