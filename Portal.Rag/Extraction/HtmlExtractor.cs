using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Portal.Rag.Extraction;

/// <summary>
/// The main text of an HTML page, parsed with AngleSharp (an HTML5-conformant parser,
/// https://html.spec.whatwg.org/). Reads <c>main</c>, <c>[role=main]</c> or the single
/// <c>article</c> when the page has one, otherwise the body; drops navigation, headers, footers,
/// asides, forms, scripts, styles and hidden elements. Headings h1–h6 build the heading path;
/// <c>details/summary</c>, <c>dt/dd</c> and a question heading followed by text become
/// question/answer sections; table rows become "cell | cell" lines.
/// </summary>
public sealed class HtmlExtractor : IDocumentExtractor
{
    private static readonly HashSet<string> Dropped = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "nav", "footer", "header", "aside", "form", "iframe", "svg", "canvas",
        "button", "select", "input", "textarea", "object", "embed", "video", "audio", "map", "dialog", "head", "img", "picture",
    };

    private static readonly HashSet<string> Inline = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp", "small",
        "span", "strong", "sub", "sup", "time", "u", "var", "label", "font", "del", "ins", "wbr",
    };

    /// <summary>Extensions read: .html, .htm.</summary>
    public static readonly IReadOnlyList<string> Extensions = [".html", ".htm"];

    /// <inheritdoc />
    public bool Supports(string extension) => Extensions.Contains(extension, StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public async Task<ExtractedDocument> ExtractAsync(Stream content, string fileName, ExtractionLimits limits, CancellationToken cancellationToken)
    {
        var bytes = await BoundedReader.ReadAsync(content, fileName, limits.MaxBytes, cancellationToken);
        var document = Parse(TextDecoding.Decode(bytes, fileName));
        return Extract(document, Path.GetFileNameWithoutExtension(fileName), null)
            ?? throw new DocumentExtractionException($"'{Path.GetFileName(fileName)}' has no readable text.");
    }

    /// <summary>Parses HTML text into a DOM (never throws: HTML5 parsing recovers from any markup).</summary>
    public static IHtmlDocument Parse(string html) => new HtmlParser().ParseDocument(html);

    /// <summary>
    /// The main text of <paramref name="document"/> as sections; null when the page has no text.
    /// <paramref name="fallbackTitle"/> is used when the page has neither a title nor a heading.
    /// </summary>
    public static ExtractedDocument? Extract(IHtmlDocument document, string fallbackTitle, Uri? sourceUri)
    {
        ArgumentNullException.ThrowIfNull(document);
        var body = document.Body;
        if (body is null)
        {
            return null;
        }

        var root = body.QuerySelector("main, [role=main]")
            ?? (body.QuerySelectorAll("article") is { Length: 1 } articles ? articles[0] : body);
        var builder = new SectionBuilder();
        var inline = new StringBuilder();
        Walk(root, builder, inline);
        FlushInline(builder, inline);
        var sections = builder.Build();
        if (sections.Count == 0)
        {
            return null;
        }

        var title = SectionBuilder.Normalize(document.Title ?? string.Empty);
        return new ExtractedDocument(title.Length > 0 ? title : builder.FirstHeading ?? fallbackTitle, sections, 1, sourceUri);
    }

    private static void Walk(INode node, SectionBuilder builder, StringBuilder inline)
    {
        foreach (var child in node.ChildNodes)
        {
            if (child is IText text)
            {
                inline.Append(text.Data);
                continue;
            }

            if (child is not IElement element || IsHidden(element))
            {
                continue;
            }

            var tag = element.LocalName;
            // A page header inside the main content (an article's title block) is content; the site header is not.
            if (Dropped.Contains(tag) && !(tag == "header" && element.ParentElement?.Closest("main, article, [role=main]") is not null))
            {
                continue;
            }

            if (tag == "br")
            {
                inline.Append('\n');
                continue;
            }

            if (Inline.Contains(tag))
            {
                Walk(element, builder, inline);
                continue;
            }

            FlushInline(builder, inline);
            switch (tag)
            {
                case "h1" or "h2" or "h3" or "h4" or "h5" or "h6":
                    builder.Heading(tag[1] - '0', element.TextContent);
                    break;
                case "table":
                    EmitTable(element, builder);
                    break;
                case "details" when element.QuerySelector("summary") is { } summary:
                    var answer = new StringBuilder();
                    foreach (var part in element.ChildNodes.Where(n => n != summary))
                    {
                        answer.Append(part.TextContent).Append('\n');
                    }

                    builder.QuestionAnswer(summary.TextContent, answer.ToString());
                    break;
                case "dt":
                    builder.Question(element.TextContent);
                    break;
                case "pre":
                    builder.Paragraph(element.TextContent, detectQuestion: false);
                    break;
                default:
                    Walk(element, builder, inline);
                    FlushInline(builder, inline);
                    break;
            }
        }
    }

    private static void FlushInline(SectionBuilder builder, StringBuilder inline)
    {
        if (inline.Length == 0)
        {
            return;
        }

        var text = string.Join('\n', inline.ToString().Split('\n').Select(l => string.Join(' ', l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))));
        inline.Clear();
        builder.Paragraph(text);
    }

    private static void EmitTable(IElement table, SectionBuilder builder)
    {
        var rows = table.QuerySelectorAll("tr")
            .Select(r => (IReadOnlyList<string>)[.. r.Children.Where(c => c.LocalName is "td" or "th").Select(c => SectionBuilder.Normalize(c.TextContent).Replace('\n', ' '))])
            .Where(r => r.Any(c => c.Length > 0))
            .ToList();
        if (rows.Count == 0)
        {
            return;
        }

        if (TableRows.FindQuestionAnswerColumns(rows[0]) is { } cols)
        {
            foreach (var row in rows.Skip(1))
            {
                builder.QuestionAnswer(cols.Question < row.Count ? row[cols.Question] : string.Empty, cols.Answer < row.Count ? row[cols.Answer] : string.Empty);
            }

            return;
        }

        builder.Paragraph(string.Join("\n", rows.Select(r => string.Join(" | ", r.Where(c => c.Length > 0)))), detectQuestion: false);
    }

    private static bool IsHidden(IElement element) =>
        element.HasAttribute("hidden")
        || string.Equals(element.GetAttribute("aria-hidden"), "true", StringComparison.OrdinalIgnoreCase)
        || string.Equals(element.GetAttribute("role"), "navigation", StringComparison.OrdinalIgnoreCase)
        || (element.GetAttribute("style") ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal).Contains("display:none", StringComparison.OrdinalIgnoreCase);
}
