using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Identity;
using Portal.Domain.Audit;
using Portal.IntegrationTests.Infrastructure;
using Portal.Web.Tenancy;

namespace Portal.IntegrationTests.Accounts;

/// <summary>
/// The app with generous sign-in limits, the security stamp checked on every request, and an <see cref="ICurrentUser"/>
/// that tests can set (<see cref="AsUserAsync{T}"/>) to call the services the interactive Settings tabs call, as the
/// signed-in owner or staff member would. Requests keep their real signed-in user.
/// </summary>
public class TeamAppFactory : PortalAppFactory
{
    private static readonly AsyncLocal<Actor?> Acting = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        ConfigureMore(builder);
        builder.UseSetting("Accounts:SignIn:PerIpPermitLimit", "1000");
        builder.UseSetting("Accounts:SignIn:PerAccountPermitLimit", "1000");
        builder.UseSetting("Accounts:SecurityStampValidationSeconds", "0");
        builder.ConfigureTestServices(services =>
        {
            services.AddScoped<CurrentUser>();
            services.AddScoped<ICurrentUser>(sp => new ActingCurrentUser(sp.GetRequiredService<CurrentUser>()));
        });
    }

    /// <summary>Extra settings of a derived factory.</summary>
    protected virtual void ConfigureMore(IWebHostBuilder builder)
    {
    }

    /// <summary>A client without automatic redirects that keeps cookies.</summary>
    public HttpClient Browser() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Runs <paramref name="action"/> in a scope on <paramref name="tenantId"/> as the user with <paramref name="email"/>.</summary>
    public async Task<T> AsUserAsync<T>(Guid tenantId, string email, Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email)
                   ?? throw new InvalidOperationException($"No user {email}.");
        var previous = Acting.Value;
        Acting.Value = new Actor(user.Id, email, false);
        try
        {
            return await InTenantAsync(tenantId, action);
        }
        finally
        {
            Acting.Value = previous;
        }
    }

    /// <summary>Runs <paramref name="action"/> against a fresh context with no tenant filter applied by hand.</summary>
    public async Task<T> DbAsync<T>(Func<PortalDbContext, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await action(db);
    }

    /// <summary>Emails in the outbox to <paramref name="to"/> (any category), newest first.</summary>
    public Task<List<OutboxMessage>> OutboxToAsync(string to) =>
        DbAsync(db => db.OutboxMessages.Where(m => m.To == to).OrderByDescending(m => m.CreatedAt).ToListAsync());

    private sealed class ActingCurrentUser(CurrentUser inner) : ICurrentUser
    {
        public Task<Actor?> GetAsync(CancellationToken cancellationToken) =>
            Acting.Value is { } actor ? Task.FromResult<Actor?>(actor) : inner.GetAsync(cancellationToken);
    }
}
