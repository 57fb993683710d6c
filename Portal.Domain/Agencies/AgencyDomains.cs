using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Audit;

namespace Portal.Domain.Agencies;

/// <summary>A custom domain with the records to publish.</summary>
/// <param name="Id">Domain id.</param>
/// <param name="Host">Host name.</param>
/// <param name="Status">Verification state.</param>
/// <param name="Records">CNAME and TXT to publish.</param>
/// <param name="LastCheckedAt">Last check (UTC) or null.</param>
/// <param name="LastError">Why the last check failed, or null.</param>
public sealed record AgencyDomainView(Guid Id, string Host, DomainStatus Status, DomainRecords Records, DateTimeOffset? LastCheckedAt, string? LastError);

/// <summary>
/// An agency's custom domains: add one (the page then shows the CNAME and TXT records), check them with
/// <see cref="DomainVerifier"/>, remove one. Owner-only, audited; a host belongs to one agency at most.
/// </summary>
public sealed partial class AgencyDomains(IDbContextFactory<PortalDbContext> contextFactory, AgencyAccess access, AuditLog auditLog,
    DomainVerifier verifier, BrandResolver brandResolver, TlsAskService tlsAsk, TimeProvider clock)
{
    /// <summary>The agency's domains, by host.</summary>
    public async Task<IReadOnlyList<AgencyDomainView>> ListAsync(CancellationToken cancellationToken)
    {
        var membership = await access.RequireAsync(AgencyRole.Staff, cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.AgencyDomains.AsNoTracking().Where(d => d.AgencyId == membership.AgencyId).OrderBy(d => d.Host).ToListAsync(cancellationToken);
        return rows.Select(View).ToList();
    }

    /// <summary>Adds <paramref name="host"/> (pending) with a fresh verification token.</summary>
    /// <exception cref="UnauthorizedAccessException">Not an owner.</exception>
    /// <exception cref="ArgumentException">Not a host name (at least two labels, letters, digits, hyphens), or already taken.</exception>
    public async Task<AgencyDomainView> AddAsync(string host, CancellationToken cancellationToken)
    {
        var membership = await access.RequireAsync(AgencyRole.Owner, cancellationToken);
        var normalized = BrandResolver.NormalizeHost(host) ?? "";
        if (normalized.Length > AgencyDomain.HostMaxLength || !HostPattern().IsMatch(normalized))
        {
            throw new ArgumentException($"'{host}' is not a domain name like app.your-agency.com.", nameof(host));
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await db.AgencyDomains.AnyAsync(d => d.Host == normalized, cancellationToken))
        {
            throw new ArgumentException($"{normalized} is already in use.", nameof(host));
        }

        var domain = new AgencyDomain { AgencyId = membership.AgencyId, Host = normalized, VerificationToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) };
        db.AgencyDomains.Add(domain);
        auditLog.Stage(db, membership.Actor, AuditActions.AgencyDomain, "AgencyDomain", domain.Id.ToString(), null, new { host = normalized, action = "add" });
        await db.SaveChangesAsync(cancellationToken);
        return View(domain);
    }

    // REVIEW: checks run when the owner presses "Check now"; a recurring re-check job (a domain whose records were
    // removed loses its verified state) is the next step (ADR-022).

    /// <summary>Checks the domain's records now and stores the outcome; a verified domain serves the brand at once.</summary>
    /// <exception cref="UnauthorizedAccessException">Not an owner.</exception>
    /// <exception cref="KeyNotFoundException">No such domain in this agency.</exception>
    public async Task<AgencyDomainView> VerifyAsync(Guid domainId, CancellationToken cancellationToken)
    {
        var membership = await access.RequireAsync(AgencyRole.Owner, cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var domain = await db.AgencyDomains.FirstOrDefaultAsync(d => d.Id == domainId && d.AgencyId == membership.AgencyId, cancellationToken)
            ?? throw new KeyNotFoundException("No such domain.");
        var check = await verifier.CheckAsync(domain.Host, domain.VerificationToken, cancellationToken);
        var now = clock.GetUtcNow();
        domain.LastCheckedAt = now;
        domain.LastError = check.Error;
        if (check.Verified && domain.Status != DomainStatus.Verified)
        {
            domain.Status = DomainStatus.Verified;
            domain.VerifiedAt = now;
            auditLog.Stage(db, membership.Actor, AuditActions.AgencyDomain, "AgencyDomain", domain.Id.ToString(), null, new { host = domain.Host, action = "verified" });
        }

        await db.SaveChangesAsync(cancellationToken);
        brandResolver.Forget();
        tlsAsk.Forget(domain.Host);
        return View(domain);
    }

    /// <summary>Removes a domain: its brand and certificate answers stop at once. False when there is none.</summary>
    /// <exception cref="UnauthorizedAccessException">Not an owner.</exception>
    public async Task<bool> RemoveAsync(Guid domainId, CancellationToken cancellationToken)
    {
        var membership = await access.RequireAsync(AgencyRole.Owner, cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var domain = await db.AgencyDomains.FirstOrDefaultAsync(d => d.Id == domainId && d.AgencyId == membership.AgencyId, cancellationToken);
        if (domain is null)
        {
            return false;
        }

        db.AgencyDomains.Remove(domain);
        auditLog.Stage(db, membership.Actor, AuditActions.AgencyDomain, "AgencyDomain", domain.Id.ToString(), null, new { host = domain.Host, action = "remove" });
        await db.SaveChangesAsync(cancellationToken);
        brandResolver.Forget();
        tlsAsk.Forget(domain.Host);
        return true;
    }

    private AgencyDomainView View(AgencyDomain d) =>
        new(d.Id, d.Host, d.Status, verifier.RecordsFor(d.Host, d.VerificationToken), d.LastCheckedAt, d.LastError);

    // RFC 1123 labels: letters, digits, inner hyphens, 1–63 characters; at least two labels; a letter-only top label.
    [GeneratedRegex("^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$")]
    private static partial Regex HostPattern();
}
