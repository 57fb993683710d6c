using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Portal.Data;

namespace Portal.Domain.Tests.Architecture;

/// <summary>
/// The data layer's boundaries (docs/decisions/ADR-027-data-layer-in-portal-data.md): Portal.Data references no other
/// Portal project, keeps its own namespaces and one entity configuration per file, and no Razor component reaches
/// <see cref="PortalDbContext"/> (pages call services).
/// </summary>
public sealed partial class DataLayerArchitectureTests
{
    private static readonly System.Reflection.Assembly DataAssembly = typeof(PortalDbContext).Assembly;

    [Fact]
    public void PortalData_CompiledAssembly_ReferencesNoOtherPortalAssembly()
    {
        var portalReferences = DataAssembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(name => name.StartsWith("Portal.", StringComparison.Ordinal))
            .ToList();

        Assert.Empty(portalReferences);
    }

    [Fact]
    public void PortalData_ProjectFile_HasNoProjectReference()
    {
        var project = File.ReadAllText(Path.Combine(Repository.Root(), "Portal.Data", "Portal.Data.csproj"));

        Assert.DoesNotContain("<ProjectReference", project, StringComparison.Ordinal);
    }

    [Fact]
    public void PortalDomain_ReferencesPortalData()
    {
        var domainReferences = typeof(Portal.Domain.Seeding.DemoSeeder).Assembly.GetReferencedAssemblies().Select(a => a.Name);

        Assert.Contains(DataAssembly.GetName().Name, domainReferences);
    }

    [Fact]
    public void PortalData_EveryType_IsInAPortalDataNamespace()
    {
        var strays = DataAssembly.GetTypes()
            .Where(t => t.Namespace is not null && !t.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false))
            .Where(t => t.Namespace != "Portal.Data" && !t.Namespace!.StartsWith("Portal.Data.", StringComparison.Ordinal))
            .Select(t => t.FullName)
            .ToList();

        Assert.Empty(strays);
    }

    [Fact]
    public void EntityConfigurations_AreOnePerFile()
    {
        var folder = Path.Combine(Repository.Root(), "Portal.Data", "Configurations");
        var files = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories);
        var crowded = files
            .Select(f => (File: Path.GetRelativePath(folder, f), Count: ConfigurationDeclaration().Count(File.ReadAllText(f))))
            .Where(x => x.Count != 1)
            .ToList();

        Assert.Empty(crowded);
        var configurationTypes = DataAssembly.GetTypes().Count(t => t.GetInterfaces().Any(i =>
            i.IsGenericType && i.GetGenericTypeDefinition() == typeof(Microsoft.EntityFrameworkCore.IEntityTypeConfiguration<>)));
        Assert.Equal(files.Length, configurationTypes);
    }

    [Fact]
    public void RazorComponents_NeverReferencePortalDbContext()
    {
        var web = Path.Combine(Repository.Root(), "Portal.Web");
        var offenders = Repository.SourceFiles(web, "*.razor")
            .Concat(Repository.SourceFiles(web, "*.razor.cs"))
            .Where(f => PortalDbContextWord().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(web, f))
            .ToList();

        Assert.True(offenders.Count == 0, $"Components that reach PortalDbContext (call a service instead): {string.Join(", ", offenders)}");
    }


    [GeneratedRegex(@"\bclass\s+\w+\s*:\s*IEntityTypeConfiguration<")]
    private static partial Regex ConfigurationDeclaration();

    [GeneratedRegex(@"\bPortalDbContext\b")]
    private static partial Regex PortalDbContextWord();
}
