using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Tenancy;
using Portal.Domain.ApiKeys;
using Portal.Domain.Tenancy;

namespace Portal.Domain.Agencies;

/// <summary>
/// An agency manages its clients' API keys: the same <see cref="ApiKeyService"/> the owner uses, run in a scope whose
/// tenant is the client, after checking the client is the member's agency's.
/// </summary>
public sealed class AgencyClientKeys(IServiceScopeFactory scopes, AgencyClients clients)
{
    /// <summary>The client's keys.</summary>
    /// <exception cref="UnauthorizedAccessException">Not this agency's client.</exception>
    public Task<IReadOnlyList<ApiKeyInfo>> ListAsync(Guid tenantId, CancellationToken cancellationToken) =>
        InClientAsync(tenantId, keys => keys.ListAsync(cancellationToken), cancellationToken);

    /// <summary>Creates a key for the client; the secret is shown once.</summary>
    /// <exception cref="UnauthorizedAccessException">Not this agency's client.</exception>
    /// <exception cref="ArgumentException">Bad name or scopes (see <see cref="ApiKeyService.CreateAsync"/>).</exception>
    public Task<CreatedApiKey> CreateAsync(Guid tenantId, string name, IEnumerable<string> scopes, Guid? userId, CancellationToken cancellationToken) =>
        InClientAsync(tenantId, keys => keys.CreateAsync(name, scopes, userId, cancellationToken), cancellationToken);

    /// <summary>Revokes one of the client's keys; false when there is no such live key.</summary>
    /// <exception cref="UnauthorizedAccessException">Not this agency's client.</exception>
    public Task<bool> RevokeAsync(Guid tenantId, Guid keyId, CancellationToken cancellationToken) =>
        InClientAsync(tenantId, keys => keys.RevokeAsync(keyId, cancellationToken), cancellationToken);

    private async Task<T> InClientAsync<T>(Guid tenantId, Func<ApiKeyService, Task<T>> action, CancellationToken cancellationToken)
    {
        if (!await clients.OwnsAsync(tenantId, cancellationToken))
        {
            throw new UnauthorizedAccessException("Not one of your clients.");
        }

        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(tenantId);
        return await action(scope.ServiceProvider.GetRequiredService<ApiKeyService>());
    }
}
