using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Portal.Web.Public.Courses;

/// <summary>
/// Renders lesson and course Markdown with Markdig (https://github.com/xoofx/markdig): CommonMark plus tables, lists and
/// fenced code blocks, sanitized: raw HTML is escaped (<c>DisableHtml</c>) and links or images whose scheme is not
/// http, https or mailto (e.g. <c>javascript:</c>) lose their target.
/// </summary>
public sealed class LessonMarkdown
{
    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().DisableHtml().Build();

    /// <summary>The HTML of <paramref name="markdown"/>, safe to emit as markup.</summary>
    public string ToHtml(string? markdown)
    {
        var document = Markdown.Parse(markdown ?? "", _pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (!IsSafe(link.Url))
            {
                link.Url = "#";
            }
        }

        return document.ToHtml(_pipeline);
    }

    /// <summary>Whether a link target is relative or http(s)/mailto.</summary>
    public static bool IsSafe(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return true;
        }

        return Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)
            ? uri.Scheme is "http" or "https" or "mailto"
            : !url.Contains(':', StringComparison.Ordinal);
    }
}
