using System.Text.RegularExpressions;

namespace Portal.Domain.Tests.Architecture;

/// <summary>
/// The Dockerfile restores from the solution with only the project files copied (so the package layer stays cached); a
/// project added to the solution but not copied there breaks the image build, which cannot run on this machine (no Docker
/// engine). This keeps the two lists equal.
/// </summary>
public sealed partial class DockerfileTests
{
    [Fact]
    public void Dockerfile_CopiesEveryProjectInTheSolution_BeforeRestore()
    {
        var root = Repository.Root();
        var inSolution = SolutionProject().Matches(File.ReadAllText(Path.Combine(root, "Portal.sln")))
            .Select(m => m.Groups["path"].Value.Replace('\\', '/'))
            .ToHashSet(StringComparer.Ordinal);
        var dockerfile = File.ReadAllText(Path.Combine(root, "Dockerfile"));
        var copied = CopiedProject().Matches(dockerfile[..dockerfile.IndexOf("dotnet restore", StringComparison.Ordinal)])
            .Select(m => m.Groups["path"].Value)
            .ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(inSolution);
        Assert.Empty(inSolution.Except(copied));
        Assert.Empty(copied.Except(inSolution));
    }

    [GeneratedRegex(@"^Project\(""\{[0-9A-F-]+\}""\) = ""[^""]+"", ""(?<path>[^""]+\.csproj)""", RegexOptions.Multiline)]
    private static partial Regex SolutionProject();

    [GeneratedRegex(@"^COPY\s+(?<path>\S+\.csproj)\s", RegexOptions.Multiline)]
    private static partial Regex CopiedProject();
}
