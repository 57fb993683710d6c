using System.Net.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Identity;
using Portal.Domain.Audit;

namespace Portal.Domain.Agencies;

/// <summary>One agency as the platform admin's list shows it.</summary>
/// <param name="Id">Agency id.</param>
/// <param name="Name">Brand name.</param>
/// <param name="Status">Lifecycle.</param>
/// <param name="OwnerEmail">First owner's email.</param>
/// <param name="Clients">Client businesses.</param>
/// <param name="Domains">Verified custom domains.</param>
/// <param name="CreatedAt">Created (UTC).</param>
public sealed record AgencyAdminRow(Guid Id, string Name, AgencyStatus Status, string OwnerEmail, int Clients, int Domains, DateTimeOffset CreatedAt);

/// <summary>A new agency with its first owner's login.</summary>
/// <param name="Name">Brand name, 1–<see cref="Agency.NameMaxLength"/> characters.</param>
/// <param name="OwnerEmail">The owner's email (their login).</param>
/// <param name="OwnerName">The owner's name.</param>
/// <param name="Password">Initial password (Identity's password rules).</param>
public sealed record NewAgency(string Name, string OwnerEmail, string OwnerName, string Password);

/// <summary>
/// Creating agencies: a platform admin creates one (active at once), or an agency signs up by itself and waits for a
/// platform admin's approval. Each creates the owner's account with the <see cref="Roles.AgencyOwner"/> role.
/// Crosses agencies on purpose; the admin methods check the platform-admin role.
/// </summary>
public sealed class AgencyDirectory(IDbContextFactory<PortalDbContext> contextFactory, UserManager<PortalUser> users, AuditLog auditLog)
{
    /// <summary>Every agency, newest first.</summary>
    /// <exception cref="UnauthorizedAccessException">Not a platform admin.</exception>
    public async Task<IReadOnlyList<AgencyAdminRow>> ListAsync(CancellationToken cancellationToken)
    {
        await RequireAdminAsync(cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var agencies = await db.Agencies.AsNoTracking().OrderByDescending(a => a.CreatedAt).ToListAsync(cancellationToken);
        var owners = await (from m in db.AgencyMembers.AsNoTracking()
                            join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                            where m.Role == AgencyRole.Owner
                            orderby m.CreatedAt
                            select new { m.AgencyId, u.Email }).ToListAsync(cancellationToken);
        // Admin list: every agency's client count, so tenants are counted across the tenant filter on purpose.
        var clients = await db.Tenants.IgnoreQueryFilters().AsNoTracking().Where(t => t.AgencyId != null)
            .GroupBy(t => t.AgencyId!.Value).Select(g => new { AgencyId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.AgencyId, x => x.Count, cancellationToken);
        var domains = await db.AgencyDomains.AsNoTracking().Where(d => d.Status == DomainStatus.Verified)
            .GroupBy(d => d.AgencyId).Select(g => new { AgencyId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.AgencyId, x => x.Count, cancellationToken);
        return agencies.Select(a => new AgencyAdminRow(a.Id, a.Name, a.Status,
                owners.FirstOrDefault(o => o.AgencyId == a.Id)?.Email ?? "",
                clients.GetValueOrDefault(a.Id), domains.GetValueOrDefault(a.Id), a.CreatedAt))
            .ToList();
    }

    /// <summary>A platform admin creates an active agency and its owner.</summary>
    /// <exception cref="UnauthorizedAccessException">Not a platform admin.</exception>
    /// <exception cref="ArgumentException">Invalid name or email, the email is taken, or the password breaks the rules; nothing is created.</exception>
    public async Task<Guid> CreateAsync(NewAgency request, CancellationToken cancellationToken)
    {
        await RequireAdminAsync(cancellationToken);
        var id = await CreateCoreAsync(request, AgencyStatus.Active, cancellationToken);
        await auditLog.RecordAsync(AuditActions.AgencyCreate, "Agency", id.ToString(), null, new { name = request.Name.Trim(), owner = request.OwnerEmail.Trim() }, cancellationToken);
        return id;
    }

    /// <summary>An agency signs up by itself: created pending approval; the owner can sign in and sees that it waits.</summary>
    /// <exception cref="ArgumentException">As <see cref="CreateAsync"/>.</exception>
    public Task<Guid> SignUpAsync(NewAgency request, CancellationToken cancellationToken) =>
        CreateCoreAsync(request, AgencyStatus.PendingApproval, cancellationToken);

    /// <summary>A platform admin approves a pending agency (or reactivates a suspended one). False when none was waiting.</summary>
    /// <exception cref="UnauthorizedAccessException">Not a platform admin.</exception>
    public async Task<bool> ApproveAsync(Guid agencyId, CancellationToken cancellationToken)
    {
        await RequireAdminAsync(cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var changed = await db.Agencies.Where(a => a.Id == agencyId && a.Status != AgencyStatus.Active)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, AgencyStatus.Active), cancellationToken);
        if (changed == 0)
        {
            return false;
        }

        await auditLog.RecordAsync(AuditActions.AgencyApprove, "Agency", agencyId.ToString(), null, null, cancellationToken);
        return true;
    }

    private async Task RequireAdminAsync(CancellationToken cancellationToken)
    {
        if (!(await auditLog.RequireActorAsync(cancellationToken)).IsPlatformAdmin)
        {
            throw new UnauthorizedAccessException("Only platform admins manage agencies.");
        }
    }

    private async Task<Guid> CreateCoreAsync(NewAgency request, AgencyStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = (request.Name ?? "").Trim();
        if (name.Length is 0 or > Agency.NameMaxLength)
        {
            throw new ArgumentException($"The agency name must be 1–{Agency.NameMaxLength} characters.", nameof(request));
        }

        var email = (request.OwnerEmail ?? "").Trim();
        if (!MailAddress.TryCreate(email, out var address) || address.Address != email)
        {
            throw new ArgumentException($"'{email}' is not an email address.", nameof(request));
        }

        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = string.IsNullOrWhiteSpace(request.OwnerName) ? name : request.OwnerName.Trim() };
        var created = await users.CreateAsync(user, request.Password ?? "");
        if (!created.Succeeded)
        {
            throw new ArgumentException(string.Join(" ", created.Errors.Select(e => e.Description)), nameof(request));
        }

        try
        {
            await users.AddToRoleAsync(user, Roles.AgencyOwner);
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            var agency = new Agency { Name = name, Status = status, EmailSenderName = name };
            db.Agencies.Add(agency);
            db.AgencyMembers.Add(new AgencyMember { AgencyId = agency.Id, UserId = user.Id, Role = AgencyRole.Owner });
            await db.SaveChangesAsync(cancellationToken);
            return agency.Id;
        }
        catch
        {
            // Nothing half-made: the login goes when the agency could not be stored.
            await users.DeleteAsync(user);
            throw;
        }
    }
}
