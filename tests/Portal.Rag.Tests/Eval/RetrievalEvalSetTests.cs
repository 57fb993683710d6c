using Portal.Rag.Chunking;
using Portal.Rag.Extraction;
using Portal.Rag.Lexical;

namespace Portal.Rag.Tests.Eval;

public sealed class RetrievalEvalSetTests
{
    private static readonly RetrievalEvalSet Set = RetrievalEvalSet.Load();

    [Fact]
    public void Set_HasThreeOrMoreIndustries_EachWithEnoughFaqsAndADocument()
    {
        Assert.True(Set.Businesses.Count >= 3);
        Assert.Equal(Set.Businesses.Count, Set.Businesses.Select(b => b.Industry).Distinct().Count());
        Assert.All(Set.Businesses, b =>
        {
            Assert.InRange(b.Faqs.Count, 25, 40);
            Assert.InRange(b.Documents.Count, 1, 2);
            Assert.All(b.Faqs, f => Assert.False(string.IsNullOrWhiteSpace(f.Question) || string.IsNullOrWhiteSpace(f.Answer)));
        });
    }

    [Fact]
    public void Questions_AtLeast150_AllStyles_SomeUnanswerable_AndEveryUnitAsked()
    {
        var questions = Set.Questions.ToList();

        Assert.True(questions.Count >= 150, $"{questions.Count} questions");
        Assert.Equal(["none", "paraphrase", "semantic", "speech", "typo"], questions.Select(q => q.Question.Style).Distinct().Order());
        Assert.All(questions, q => Assert.Equal(q.Question.Style == "none", !q.Question.Answerable));
        Assert.InRange(questions.Count(q => !q.Question.Answerable), 12, questions.Count / 5);
        foreach (var business in Set.Businesses)
        {
            var asked = business.Questions.Select(q => q.Expected).ToHashSet();
            Assert.All(business.Units, u => Assert.Contains(u.Id, asked));
        }
    }

    [Fact]
    public void SemanticQuestions_AtLeast60_AcrossThreeBusinesses_ShareNoContentWordWithTheirAnswer()
    {
        var semantic = Set.Questions.Where(q => q.Question.Style == "semantic").ToList();

        Assert.True(semantic.Count >= 60, $"{semantic.Count} semantic questions");
        Assert.True(semantic.Select(q => q.Business.Id).Distinct().Count() >= 3);
        Assert.All(semantic, q => Assert.True(q.Question.Answerable, q.Question.Text));
        var overlaps = new List<string>();
        foreach (var (business, question) in semantic)
        {
            // What the indexed unit says: an FAQ's question and answer, or a passage with its document title and heading.
            var unit = business.Faqs.Where(f => f.Id == question.Expected).Select(f => f.Question + " " + f.Answer)
                .Concat(business.Documents.SelectMany(d => d.Passages.Where(p => p.Id == question.Expected).Select(p => d.Title + " " + p.Heading + " " + p.Text)))
                .Single();
            var shared = Tokenizer.Terms(question.Text).Intersect(Tokenizer.Terms(unit)).ToList();
            if (shared.Count > 0)
            {
                overlaps.Add($"\"{question.Text}\" shares {string.Join(", ", shared)} with {question.Expected}");
            }
        }

        Assert.True(overlaps.Count == 0, string.Join("\n", overlaps));
    }

    [Fact]
    public void Questions_AreNotCopiesOfTheFaqQuestions()
    {
        foreach (var business in Set.Businesses)
        {
            var faqQuestions = business.Faqs.Select(f => f.Question.ToLowerInvariant().TrimEnd('?')).ToHashSet();
            Assert.All(business.Questions, q => Assert.DoesNotContain(q.Text.ToLowerInvariant().TrimEnd('?'), faqQuestions));
        }
    }

    [Fact]
    public void Documents_ThroughExtractorAndChunker_MapBackToTheirPassageIds()
    {
        var chunker = new Chunker();
        foreach (var business in Set.Businesses)
        {
            foreach (var document in business.Documents)
            {
                var extracted = TextExtractor.Extract(document.ToMarkdown(), document.Title + ".md");
                var chunks = chunker.Chunk(extracted);

                Assert.Equal(document.Passages.Select(p => p.Id), chunks.Select(c => business.IdOf(c.Text)));
                Assert.All(chunks, c => Assert.StartsWith(document.Title + " › ", c.Text, StringComparison.Ordinal));
            }

            Assert.All(business.Faqs, f => Assert.Equal(f.Id, business.IdOf($"{f.Question}\n{f.Answer}")));
            Assert.Null(business.IdOf("Something the business never said."));
        }
    }

    [Fact]
    public void Load_RejectsALabelThatNamesNothing()
    {
        var folder = Directory.CreateTempSubdirectory("rag-eval-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "x.json"), """
                {"id":"x","name":"X","industry":"test","faqs":[{"id":"x-a","question":"Q?","answer":"A."}],"documents":[],
                 "questions":[{"text":"q","expected":"x-missing","style":"paraphrase"}]}
                """);
            var error = Assert.Throws<InvalidDataException>(() => RetrievalEvalSet.Load(folder.FullName));
            Assert.Contains("'x-missing', which is no FAQ or passage", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
