using System.Text.RegularExpressions;

namespace Portal.Domain.Tests.Architecture;

/// <summary>
/// bUnit's synchronous event helpers (<c>element.Change(v)</c>, <c>.Input(v)</c>, <c>.Click()</c>) discard the task of
/// the handler. A MudBlazor input finishes its handler asynchronously (value, validation, the parent's re-render), so
/// an assertion on the very next line passes on an idle machine and fails on a loaded one (CI, December 2026:
/// <c>AgentStepTests</c> read the agent's name before the handler had set it). Component tests therefore await the
/// <c>…Async</c> form, or dispatch inside <c>WaitForAssertion</c> where the dispatch itself is retried.
/// </summary>
/// <remarks>See https://bunit.dev/docs/interaction/trigger-event-handlers.html (the async dispatchers return the handler's task).</remarks>
public sealed partial class ComponentEventDispatchTests
{
    [Fact]
    public void ComponentTests_AwaitEveryEventTheyDispatch()
    {
        var root = Path.Combine(Repository.Root(), "tests", "Portal.Web.Tests");
        var files = Repository.SourceFiles(root, "*.cs")
            // ClickSettled dispatches inside a WaitForAssertion lambda that spans several lines.
            .Where(f => Path.GetFileName(f) != "MarkupExtensions.cs")
            .ToList();
        Assert.True(files.Count > 10, $"Only {files.Count} component test files found under {root}.");

        var unawaited = files
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Number: i + 1, Line: line)))
            .Where(x => IsUnawaitedDispatch(x.Line))
            .Select(x => $"{Path.GetRelativePath(root, x.File)}:{x.Number}: {x.Line.Trim()}")
            .ToList();

        Assert.True(unawaited.Count == 0, "Await the …Async dispatch (or retry it inside WaitForAssertion):\n" + string.Join("\n", unawaited));
    }

    [Theory]
    [InlineData("        cut.Find(\"#agent-name\").Change(\"Rosa\");", true)]
    [InlineData("        cut.FindAll(\"button\")[0].Click();", true)]
    [InlineData("        cut.Find(\"#chat-input\").Input(\"Hello\");", true)]
    [InlineData("        await cut.Find(\"#agent-name\").ChangeAsync(\"Rosa\");", false)]
    [InlineData("        cut.WaitForAssertion(() => cut.FindAll(\".mud-chip\").First().Click());", false)]
    [InlineData("        Assert.Equal(name, cut.Input(\"agent-name\").GetAttribute(\"value\"));", false)]
    public void TheCheck_TellsAwaitedFromDiscardedDispatch(string line, bool flagged) =>
        Assert.Equal(flagged, IsUnawaitedDispatch(line));

    /// <summary>
    /// A dispatch on a found element (<c>…).Change(</c>, <c>…].Click(</c>) that is neither awaited nor retried. The
    /// finder <c>cut.Input("test-id")</c> is called on a component, not on an element, so it does not match.
    /// </summary>
    private static bool IsUnawaitedDispatch(string line) =>
        SyncDispatch().IsMatch(line) && !line.Contains("WaitForAssertion", StringComparison.Ordinal);

    [GeneratedRegex(@"[\)\]]\.(?:Change|Input|Click|DoubleClick|Submit|KeyDown|KeyUp|KeyPress|Blur|Focus)\(")]
    private static partial Regex SyncDispatch();
}
