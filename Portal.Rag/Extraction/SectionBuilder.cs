using System.Text;
using System.Text.RegularExpressions;

namespace Portal.Rag.Extraction;

/// <summary>
/// Collects headings, paragraphs and question/answer pairs in reading order and turns them into
/// <see cref="ExtractedSection"/>s: paragraphs under the same heading form one section, a heading
/// closes the sections above its level, and a question (a heading or short paragraph ending in "?")
/// followed by text becomes a question/answer section. Shared by every extractor so all sources
/// come out with the same structure.
/// </summary>
public sealed partial class SectionBuilder
{
    /// <summary>Longest paragraph, in words, still taken as a question when it ends with "?".</summary>
    public const int MaxQuestionWords = 30;

    private readonly List<ExtractedSection> _sections = [];
    private readonly List<(int Level, string Text)> _headings = [];
    private readonly List<string> _paragraphs = [];
    private readonly List<string> _answer = [];
    private string? _question;
    private int? _page;
    private int? _sectionPage;
    private int? _questionPage;

    /// <summary>Sections produced so far (call <see cref="Build"/> to flush the last one).</summary>
    public IReadOnlyList<ExtractedSection> Sections => _sections;

    /// <summary>The first heading seen, usable as a title.</summary>
    public string? FirstHeading { get; private set; }

    /// <summary>Sets the 1-based page of the text that follows (PDF); paragraphs of different pages become different sections.</summary>
    public void SetPage(int? page)
    {
        if (page != _page)
        {
            FlushParagraphs();
            _page = page;
        }
    }

    /// <summary>A heading of <paramref name="level"/> (1 = outermost). A heading ending in "?" is taken as a question.</summary>
    public void Heading(int level, string text)
    {
        var clean = Normalize(text);
        if (clean.Length == 0)
        {
            return;
        }

        Flush();
        if (IsQuestion(clean))
        {
            PopTo(level);
            _question = clean;
            _questionPage = _page;
            return;
        }

        FirstHeading ??= clean;
        PopTo(level);
        _headings.Add((level, clean));
    }

    /// <summary>A paragraph of body text; when <paramref name="detectQuestion"/> is true a short paragraph ending in "?" starts a question.</summary>
    public void Paragraph(string text, bool detectQuestion = true)
    {
        var clean = Normalize(text);
        if (clean.Length == 0)
        {
            return;
        }

        if (detectQuestion && IsQuestion(clean))
        {
            Question(clean);
            return;
        }

        if (_question is not null)
        {
            _answer.Add(clean);
            return;
        }

        _sectionPage ??= _page;
        _paragraphs.Add(clean);
    }

    /// <summary>Starts a question; the paragraphs that follow (until the next heading or question) are its answer.</summary>
    public void Question(string question)
    {
        Flush();
        _question = Normalize(question);
        _questionPage = _page;
    }

    /// <summary>A complete question/answer pair (FAQ table row, spreadsheet row).</summary>
    public void QuestionAnswer(string question, string answer)
    {
        Flush();
        var q = Normalize(question);
        var a = Normalize(answer);
        if (q.Length > 0 && a.Length > 0)
        {
            _sections.Add(new ExtractedSection(HeadingPath(), a, q, _page));
        }
        else if (q.Length + a.Length > 0)
        {
            Paragraph(q.Length > 0 ? q : a, detectQuestion: false);
        }
    }

    /// <summary>Closes the open section and returns every section in reading order.</summary>
    public IReadOnlyList<ExtractedSection> Build()
    {
        Flush();
        return _sections;
    }

    /// <summary>True for a short single-line text ending in a question mark.</summary>
    public static bool IsQuestion(string text) =>
        text.EndsWith('?') && !text.Contains('\n', StringComparison.Ordinal) && WordCount(text) <= MaxQuestionWords;

    /// <summary>Collapses runs of spaces and tabs, trims each line and drops blank lines at the ends.</summary>
    public static string Normalize(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n')
            .Select(l => Spaces().Replace(l.Replace('\u00A0', ' '), " ").Trim());
        var sb = new StringBuilder();
        var blank = 0;
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                blank++;
                continue;
            }

            if (sb.Length > 0)
            {
                sb.Append(blank > 0 ? "\n\n" : "\n");
            }

            sb.Append(line);
            blank = 0;
        }

        return sb.ToString();
    }

    private static int WordCount(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    private void PopTo(int level) => _headings.RemoveAll(h => h.Level >= level);

    private List<string> HeadingPath() => [.. _headings.Select(h => h.Text)];

    private void Flush()
    {
        if (_question is not null)
        {
            var question = _question;
            _question = null;
            if (_answer.Count > 0)
            {
                _sections.Add(new ExtractedSection(HeadingPath(), string.Join("\n\n", _answer), question, _questionPage));
                _answer.Clear();
            }
            else
            {
                // A question with no answer is kept as plain text rather than lost.
                _sectionPage ??= _questionPage;
                _paragraphs.Add(question);
            }
        }

        FlushParagraphs();
    }

    private void FlushParagraphs()
    {
        if (_paragraphs.Count > 0)
        {
            _sections.Add(new ExtractedSection(HeadingPath(), string.Join("\n\n", _paragraphs), null, _sectionPage ?? _page));
            _paragraphs.Clear();
        }

        _sectionPage = null;
    }

    [GeneratedRegex(@"[ \t\f\v]+")]
    private static partial Regex Spaces();
}
