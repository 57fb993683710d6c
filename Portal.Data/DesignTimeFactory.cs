using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Portal.Data.Tenancy;

namespace Portal.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without the web host.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    /// <inheritdoc />
    public PortalDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PortalDbContext>()
            .UseNpgsql("Host=localhost;Database=portal_design")
            .UseSnakeCaseNamingConvention()
            .Options;
        return new PortalDbContext(options, new TenantContext());
    }
}
