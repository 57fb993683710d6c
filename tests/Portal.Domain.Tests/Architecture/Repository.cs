namespace Portal.Domain.Tests.Architecture;

/// <summary>The checked-out repository the architecture tests read (project files, sources, the Dockerfile).</summary>
internal static class Repository
{
    /// <summary>The folder holding <c>Portal.sln</c>, found upward from the test assembly.</summary>
    /// <exception cref="InvalidOperationException">No <c>Portal.sln</c> above the test assembly.</exception>
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Portal.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>The files matching <paramref name="pattern"/> under <paramref name="folder"/>, build output (<c>bin</c>, <c>obj</c>) left out.</summary>
    public static IEnumerable<string> SourceFiles(string folder, string pattern) =>
        Directory.GetFiles(folder, pattern, SearchOption.AllDirectories)
            .Where(f => Path.GetRelativePath(folder, f).Split(Path.DirectorySeparatorChar) is var parts && !parts.Contains("bin") && !parts.Contains("obj"));
}
