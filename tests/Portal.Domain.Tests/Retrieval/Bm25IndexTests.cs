using Portal.Domain.Conversations.Answers;
using Portal.Rag.Lexical;

namespace Portal.Domain.Tests.Retrieval;

/// <summary>The problem queries found by the engine tests, checked directly against the index.</summary>
public sealed class Bm25IndexTests
{
    private static readonly Bm25Index Index = new(DentalRetrievalSet.Passages());

    [Fact]
    public void CorpusStatistics_WeighWordsByTheWholeKnowledgeBase_NotByTheCandidates()
    {
        // Two candidates retrieved for "vegan food": both mention vegan, one mentions food. Among the candidates "vegan" looks
        // common; in the tenant's 30 passages it is in 2 and "food" in 10, so the vegan answer covers most of the question.
        Passage vegan = new(Guid.NewGuid(), "Do you have vegan options?", "Yes, our vegan bowl and soups are vegan.", true);
        Passage events = new(Guid.NewGuid(), "Can I hire the café for an event?", "Yes, with food and drinks; a vegan menu is available.", true);
        var corpus = new CorpusStatistics(30, t => t switch { "vegan" => 2, "food" => 10, _ => 0 });
        double Coverage(Bm25Index index) => index.Search("do you have vegan food", 5).Single(r => r.Passage == vegan).Coverage;

        var local = Coverage(new Bm25Index([vegan, events]));
        var global = Coverage(new Bm25Index([vegan, events], corpus));
        Assert.True(global > 0.5, $"coverage {global:F2} with the knowledge base's statistics");
        Assert.True(global > local, $"coverage {global:F2} with the knowledge base's statistics, {local:F2} with the candidates'");
    }

    [Theory]
    [InlineData("Do you take my insurance", DentalRetrievalSet.Insurance)]
    [InlineData("do u take insurance", DentalRetrievalSet.Insurance)]
    [InlineData("What forms of payment do you accept?", DentalRetrievalSet.Payment)]
    [InlineData("do you treat kids", DentalRetrievalSet.Children)]
    [InlineData("Can you see my 5 year old daughter?", DentalRetrievalSet.Children)]
    [InlineData("Do you treat toddlers?", DentalRetrievalSet.Children)]
    [InlineData("insurence", DentalRetrievalSet.Insurance)]
    [InlineData("parkin", DentalRetrievalSet.Parking)]
    public void ProblemQuery_FindsItsAnswerConfidently(string query, string expected)
    {
        var top = Index.Search(query, 3)[0];
        Assert.StartsWith(expected, top.Passage.Text, StringComparison.Ordinal);
        Assert.True(top.Coverage >= KnowledgeResponder.MinimumKnowledgeScore, $"confidence {top.Coverage:F2}");
    }

    [Theory]
    [InlineData("Do you do fillings?")]
    [InlineData("What treatments do you offer?")]
    [InlineData("Is the dentist a woman?")]
    [InlineData("Where's the dental office?")]
    [InlineData("Do you offer house calls?")]
    [InlineData("do you do invisaline")]
    public void ProblemQuery_StaysBelowTheThreshold(string query)
    {
        var results = Index.Search(query, 3);
        Assert.True(results.Count == 0 || results[0].Coverage < KnowledgeResponder.MinimumKnowledgeScore, results.Count == 0 ? "" : $"{results[0].Passage.Text} {results[0].Coverage:F2}");
    }

    [Fact]
    public void RareTerm_OutweighsACommonOne()
    {
        var index = new Bm25Index(
        [
            new Passage(Guid.NewGuid(), "First visit", "Bring a list of medications you take and your insurance card.", IsFaq: true),
            new Passage(Guid.NewGuid(), "Insurance", "We accept most insurance plans.", IsFaq: true),
            new Passage(Guid.NewGuid(), "Take-home kits", "Take a whitening kit home.", IsFaq: true),
        ]);

        Assert.Equal("Insurance", index.Search("do you take my insurance", 3)[0].Passage.Title);
    }

    [Fact]
    public void GenericOnlyMatch_ScoresBelowTheThreshold()
    {
        var index = new Bm25Index([new Passage(Guid.NewGuid(), "Services", "The dentist will see you in the office.", IsFaq: true)]);

        var top = Assert.Single(index.Search("can the dentist see me", 3));
        Assert.True(top.Coverage < 0.3);
    }

    [Fact]
    public void EmptyIndexOrQuery_ReturnsNothing()
    {
        Assert.Empty(new Bm25Index([]).Search("insurance", 3));
        Assert.Empty(Index.Search("do you", 3));
        Assert.Equal(9, Index.Count);
    }
}
