using System.Text.RegularExpressions;

namespace Portal.Domain.Tests.Architecture;

/// <summary>
/// Every progress indicator in a page names itself (<c>aria-label</c>): MudBlazor renders <c>role="progressbar"</c>, and
/// axe's rule aria-progressbar-name (serious, https://dequeuniversity.com/rules/axe/4.10/aria-progressbar-name) fails a
/// nameless one. Loading bars are on screen only while data loads, so the browser check meets them only when a page is
/// slow; this reads every component instead.
/// </summary>
public sealed partial class ProgressIndicatorLabelTests
{
    [Fact]
    public void EveryMudProgressIndicator_HasAnAriaLabel()
    {
        var root = Path.Combine(Repository.Root(), "Portal.Web", "Components");
        var found = 0;
        var nameless = new List<string>();
        foreach (var file in Directory.GetFiles(root, "*.razor", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            foreach (Match tag in ProgressTag().Matches(text))
            {
                found++;
                var end = text.IndexOf("/>", tag.Index, StringComparison.Ordinal);
                var element = end < 0 ? text[tag.Index..] : text[tag.Index..end];
                if (!element.Contains("aria-label=", StringComparison.Ordinal))
                {
                    nameless.Add($"{Path.GetRelativePath(root, file)}:{text[..tag.Index].Count(c => c == '\n') + 1}");
                }
            }
        }

        Assert.True(found > 10, $"Only {found} progress indicators found under {root}.");
        Assert.True(nameless.Count == 0, "Progress indicators without aria-label: " + string.Join(", ", nameless));
    }

    [GeneratedRegex(@"<MudProgress(Linear|Circular)\b")]
    private static partial Regex ProgressTag();
}
