using System.Text.RegularExpressions;
using Portal.Rag.Lexical;

namespace Portal.Domain.Tests.Conversations;

/// <summary>
/// Cuts test documents into <see cref="Passage"/>s for <see cref="LexicalKnowledgeFake"/>, so engine tests index text
/// without a database. (It was the splitter of a database-backed in-memory BM25 knowledge base that the product never
/// registered; the product chunks documents with <c>Portal.Rag.Chunking</c> and searches with
/// <c>PostgresKnowledgeBase</c>.)
/// </summary>
public static partial class DocumentPassages
{
    /// <summary>Longest passage cut from a document, in characters.</summary>
    public const int MaxPassageChars = 700;

    /// <summary>
    /// Splits a text/markdown document into passages: "Q:/A:" pairs stay together, markdown
    /// headings carry into their section's passages, paragraphs are packed up to
    /// <see cref="MaxPassageChars"/>.
    /// </summary>
    public static IEnumerable<Passage> SplitDocument(Guid itemId, string title, string content)
    {
        var heading = title;
        var blocks = BlankLines().Split(content.Replace("\r\n", "\n", StringComparison.Ordinal));
        var current = "";
        foreach (var raw in blocks)
        {
            var block = raw.Trim();
            if (block.Length == 0)
            {
                continue;
            }

            if (block.StartsWith('#'))
            {
                if (current.Length > 0)
                {
                    yield return new Passage(itemId, heading, current, IsFaq: false);
                    current = "";
                }

                var lines = block.Split('\n', 2);
                heading = lines[0].TrimStart('#').Trim();
                block = lines.Length > 1 ? lines[1].Trim() : "";
                if (block.Length == 0)
                {
                    continue;
                }
            }

            var qa = QaPair().Match(block);
            if (qa.Success)
            {
                if (current.Length > 0)
                {
                    yield return new Passage(itemId, heading, current, IsFaq: false);
                    current = "";
                }

                yield return new Passage(itemId, qa.Groups["q"].Value.Trim(), qa.Groups["a"].Value.Trim(), IsFaq: true);
                continue;
            }

            if (current.Length > 0 && current.Length + block.Length > MaxPassageChars)
            {
                yield return new Passage(itemId, heading, current, IsFaq: false);
                current = "";
            }

            current = current.Length == 0 ? block : $"{current}\n{block}";
        }

        if (current.Length > 0)
        {
            yield return new Passage(itemId, heading, current, IsFaq: false);
        }
    }

    [GeneratedRegex(@"\n\s*\n")]
    private static partial Regex BlankLines();

    [GeneratedRegex(@"^(?:Q|Question)\s*[:.]\s*(?<q>.+?)\s*\n\s*(?:A|Answer)\s*[:.]\s*(?<a>[\s\S]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex QaPair();
}
