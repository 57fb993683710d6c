using System.Xml.Linq;

namespace Portal.Domain.Tests.Architecture;

/// <summary>
/// Which product project may depend on which, read from the project files (transitively): the number inventory and the
/// phone company (Portal.Telephony) serve both the admin pages and the background jobs, so neither the jobs nor telephony
/// may pull in the call pipeline (Portal.Voice), and the domain depends on no product project but the data layer.
/// </summary>
public sealed class ProjectDependencyTests
{
    [Theory]
    [InlineData("Portal.Jobs", "Portal.Voice")]
    [InlineData("Portal.Jobs", "Portal.Web")]
    [InlineData("Portal.Telephony", "Portal.Voice")]
    [InlineData("Portal.Telephony", "Portal.Jobs")]
    [InlineData("Portal.Domain", "Portal.Telephony")]
    [InlineData("Portal.Domain", "Portal.Voice")]
    public void Project_DoesNotDependOn(string project, string forbidden)
    {
        var closure = Dependencies(project);

        Assert.DoesNotContain(forbidden, closure);
    }

    [Theory]
    [InlineData("Portal.Jobs", "Portal.Telephony")]
    [InlineData("Portal.Voice", "Portal.Telephony")]
    [InlineData("Portal.Web", "Portal.Jobs")]
    public void Project_DependsOn(string project, string required)
    {
        // The negative theory above would pass vacuously if the project files could not be read; this one proves they are.
        Assert.Contains(required, Dependencies(project));
    }

    /// <summary>Every product project <paramref name="project"/> references, directly or through another.</summary>
    private static HashSet<string> Dependencies(string project)
    {
        var root = Repository.Root();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.Count > 0)
        {
            var name = pending.Pop();
            var file = Path.Combine(root, name, name + ".csproj");
            foreach (var reference in XDocument.Load(file).Descendants("ProjectReference"))
            {
                var referenced = Path.GetFileNameWithoutExtension(reference.Attribute("Include")!.Value.Replace('\\', '/'));
                if (seen.Add(referenced))
                {
                    pending.Push(referenced);
                }
            }
        }

        return seen;
    }
}
