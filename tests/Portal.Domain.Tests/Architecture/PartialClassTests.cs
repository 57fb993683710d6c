using System.Text.RegularExpressions;

namespace Portal.Domain.Tests.Architecture;

/// <summary>
/// A class that needs several files to fit is several classes: no product type is declared <c>partial</c> in more than
/// one C# file. A Razor component's code-behind (<c>X.razor</c> + <c>X.razor.cs</c>) and source-generated halves
/// (<c>[GeneratedRegex]</c>, <c>[LoggerMessage]</c>) have one hand-written C# file each, so they pass.
/// </summary>
public sealed partial class PartialClassTests
{
    [Fact]
    public void NoProductClass_IsSplitAcrossSeveralFiles()
    {
        var root = Repository.Root();
        var files = Directory.GetDirectories(root, "Portal.*")
            .SelectMany(dir => Repository.SourceFiles(dir, "*.cs"))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.True(files.Count > 100, $"Only {files.Count} product source files found under {root}.");

        var split = files
            .SelectMany(f => PartialType().Matches(File.ReadAllText(f)).Select(m => (Type: Namespace(f) + "." + m.Groups["name"].Value, File: f)))
            .GroupBy(x => x.Type)
            .Where(g => g.Select(x => x.File).Distinct().Count() > 1)
            .Select(g => $"{g.Key} ({string.Join(", ", g.Select(x => Path.GetRelativePath(root, x.File)))})")
            .ToList();

        Assert.True(split.Count == 0, "Types split across files: " + string.Join("; ", split));
    }

    private static string Namespace(string file) =>
        FileNamespace().Match(File.ReadAllText(file)) is { Success: true } m ? m.Groups["ns"].Value : "";

    [GeneratedRegex(@"\bpartial\s+(?:class|record|struct|interface)\s+(?<name>\w+)")]
    private static partial Regex PartialType();

    [GeneratedRegex(@"^namespace\s+(?<ns>[\w.]+)", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();
}
