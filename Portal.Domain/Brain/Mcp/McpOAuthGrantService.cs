using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Identity;
using Portal.Data.Tenancy;
using Portal.Domain.Agencies;
using Portal.Domain.Tenancy;

namespace Portal.Domain.Brain.Mcp;

/// <summary>The OAuth scopes of the MCP server (ADR-025).</summary>
public static class McpOAuthScopes
{
    /// <summary>Read the business's conversations, bookings, knowledge and numbers (always granted).</summary>
    public const string Read = "mcp:read";

    /// <summary>Also create bookings (granted only when the owner ticks "allow booking").</summary>
    public const string Book = "mcp:book";

    /// <summary>The scopes a client may ask for, as published in the metadata documents.</summary>
    public static readonly IReadOnlyList<string> All = [Read, Book];
}

/// <summary>A business the signed-in user may connect an app to.</summary>
/// <param name="TenantId">The business.</param>
/// <param name="Name">Its name.</param>
public sealed record McpBusinessChoice(Guid TenantId, string Name);

/// <summary>A connected app as Settings → AI assistants lists it.</summary>
/// <param name="Id">The grant's id (for revoking).</param>
/// <param name="ClientName">The app's self-declared name.</param>
/// <param name="AllowBooking">Whether it may create bookings.</param>
/// <param name="ConnectedAt">When the owner consented (UTC).</param>
/// <param name="ConnectedBy">Who consented (display name or email).</param>
public sealed record McpConnectedApp(Guid Id, string ClientName, bool AllowBooking, DateTimeOffset ConnectedAt, string ConnectedBy);

/// <summary>
/// The owner's side of the OAuth authorization server: which businesses a user may connect an app to, recording a consent
/// as an OpenIddict permanent authorization bound to one business (<see cref="McpOAuthGrant"/>), listing the current
/// business's connected apps and revoking one (its authorization and every token issued under it).
/// </summary>
public sealed class McpOAuthGrantService(
    IDbContextFactory<PortalDbContext> contextFactory,
    ITenantContext tenantContext,
    IServiceScopeFactory scopes,
    IOpenIddictApplicationManager applications,
    IOpenIddictAuthorizationManager authorizations,
    IOpenIddictTokenManager tokens,
    TimeProvider timeProvider)
{
    /// <summary>
    /// The businesses <paramref name="userId"/> may grant access to: their own business when they are its owner, and the
    /// client businesses of agencies they own. Empty for staff, platform admins and unknown users.
    /// </summary>
    public async Task<IReadOnlyList<McpBusinessChoice>> ChoicesAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var ownTenant = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.TenantId).FirstOrDefaultAsync(cancellationToken);
        var isOwner = await (from ur in db.UserRoles
                             join r in db.Roles on ur.RoleId equals r.Id
                             where ur.UserId == userId && r.Name == Roles.BusinessOwner
                             select ur.UserId).AnyAsync(cancellationToken);
        var own = isOwner && ownTenant is { } t ? t : Guid.Empty;
        var agencies = db.AgencyMembers.AsNoTracking().Where(m => m.UserId == userId && m.Role == AgencyRole.Owner).Select(m => m.AgencyId);
        // The user names their businesses; the request has the user's own tenant (or none, for an agency owner).
        return await db.Tenants.IgnoreQueryFilters().AsNoTracking()
            .Where(x => x.Id == own || (x.AgencyId != null && agencies.Contains(x.AgencyId.Value)))
            .OrderBy(x => x.Name).Select(x => new McpBusinessChoice(x.Id, x.Name)).ToListAsync(cancellationToken);
    }

    /// <summary>The registered name of the app <paramref name="clientId"/>, or null when no such app is registered.</summary>
    public async Task<string?> ClientNameAsync(string? clientId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(clientId) || await applications.FindByClientIdAsync(clientId, cancellationToken) is not { } application)
        {
            return null;
        }

        return await applications.GetDisplayNameAsync(application, cancellationToken) ?? clientId;
    }

    /// <summary>
    /// Records the consent of <paramref name="userId"/> for the app <paramref name="clientId"/> to reach
    /// <paramref name="tenantId"/>: a permanent OpenIddict authorization with <paramref name="grantedScopes"/> and a
    /// <see cref="McpOAuthGrant"/> row. Returns the authorization id, to be set on the principal signed in.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">The user may not grant access to that business.</exception>
    /// <exception cref="InvalidOperationException">The client is unknown.</exception>
    public async Task<string> GrantAsync(Guid userId, Guid tenantId, string clientId, ClaimsIdentity identity, ImmutableArray<string> grantedScopes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (!(await ChoicesAsync(userId, cancellationToken)).Any(c => c.TenantId == tenantId))
        {
            throw new UnauthorizedAccessException("You cannot connect apps to that business.");
        }

        var application = await applications.FindByClientIdAsync(clientId, cancellationToken) ?? throw new InvalidOperationException("Unknown app.");
        var name = await applications.GetDisplayNameAsync(application, cancellationToken) ?? clientId;
        var authorization = await authorizations.CreateAsync(identity, userId.ToString(), (await applications.GetIdAsync(application, cancellationToken))!,
            OpenIddictConstants.AuthorizationTypes.Permanent, grantedScopes, cancellationToken);
        var authorizationId = (await authorizations.GetIdAsync(authorization, cancellationToken))!;

        // Saved in the chosen business's scope: an agency owner consents for a client business that is not their own.
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(tenantId);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(cancellationToken);
        db.McpOAuthGrants.Add(new McpOAuthGrant
        {
            TenantId = tenantId,
            AuthorizationId = authorizationId,
            ClientId = clientId.Length > McpOAuthGrant.IdMaxLength ? clientId[..McpOAuthGrant.IdMaxLength] : clientId,
            ClientName = name.Length > McpOAuthGrant.ClientNameMaxLength ? name[..McpOAuthGrant.ClientNameMaxLength] : name,
            UserId = userId,
            AllowBooking = grantedScopes.Contains(McpOAuthScopes.Book),
        });
        await db.SaveChangesAsync(cancellationToken);
        return authorizationId;
    }

    /// <summary>True when the grant of <paramref name="authorizationId"/> for <paramref name="tenantId"/> exists and is not revoked.</summary>
    public async Task<bool> IsActiveAsync(string authorizationId, Guid tenantId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Token requests carry no signed-in tenant: the grant row is looked up by its unique authorization id and tenant.
        return await db.McpOAuthGrants.IgnoreQueryFilters().AnyAsync(g => g.AuthorizationId == authorizationId && g.TenantId == tenantId && g.RevokedAt == null, cancellationToken);
    }

    /// <summary>The current business's connected apps, newest first.</summary>
    public async Task<IReadOnlyList<McpConnectedApp>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await (from g in db.McpOAuthGrants.AsNoTracking()
                      where g.RevokedAt == null
                      join u in db.Users on g.UserId equals u.Id into users
                      from u in users.DefaultIfEmpty()
                      orderby g.CreatedAt descending
                      select new McpConnectedApp(g.Id, g.ClientName, g.AllowBooking, g.CreatedAt, u == null ? "" : (u.DisplayName != "" ? u.DisplayName : u.Email ?? "")))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Disconnects an app of the current business: the grant is marked revoked, the OpenIddict authorization and every
    /// token issued under it are revoked, so its access and refresh tokens stop working at once. False when there is no
    /// such connected app in this business.
    /// </summary>
    public async Task<bool> RevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        _ = tenantContext.TenantId ?? throw new InvalidOperationException("No business is selected.");
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var grant = await db.McpOAuthGrants.FirstOrDefaultAsync(g => g.Id == id && g.RevokedAt == null, cancellationToken);
        if (grant is null)
        {
            return false;
        }

        grant.RevokedAt = timeProvider.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        if (await authorizations.FindByIdAsync(grant.AuthorizationId, cancellationToken) is { } authorization)
        {
            await authorizations.TryRevokeAsync(authorization, cancellationToken);
        }

        await tokens.RevokeByAuthorizationIdAsync(grant.AuthorizationId, cancellationToken);
        return true;
    }
}
