using ModelContextProtocol;
using ModelContextProtocol.Server;
using Portal.Data.Tenancy;
using Portal.Domain.Brain.Mcp;
using Portal.Domain.Tenancy;

namespace Portal.Web.Mcp;

/// <summary>
/// Runs an MCP handler in a fresh DI scope whose <see cref="ITenantContext"/> is the calling token's business, so every
/// query filter, the booking store and the semantic layer see that business only, whatever scope the SDK created.
/// </summary>
internal static class McpTenantScope
{
    /// <summary>Runs <paramref name="action"/> for the token's business.</summary>
    /// <exception cref="McpException">The request carries no MCP grant (not authenticated).</exception>
    public static async Task<T> RunAsync<T, TParams>(RequestContext<TParams> request, Func<IServiceProvider, McpGrant, Task<T>> action)
    {
        var grant = McpSetup.GrantOf(request.User) ?? throw new McpException("This MCP server needs a business token.");
        var services = request.Services ?? throw new McpException("No services are available for this request.");
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(grant.TenantId);
        return await action(scope.ServiceProvider, grant);
    }
}
