using Portal.Rag.Retrieval;

namespace Portal.IntegrationTests.Knowledge;

/// <summary>The bounded candidate selection of a large knowledge base: typo correction against the tenant's words and the full-text filter budget.</summary>
public sealed class KnowledgeRetrievalBudgetTests
{
    private static readonly TenantLexicon Lexicon = new(
        10_000,
        new Dictionary<string, int>(StringComparer.Ordinal) { ["insurance"] = 3300, ["cleaning"] = 400, ["crowns"] = 2800, ["children"] = 120 },
        new Dictionary<string, int>(StringComparer.Ordinal) { ["insur"] = 3300, ["clean"] = 400, ["crown"] = 2800, ["children"] = 120, ["cover"] = 1200 },
        new Dictionary<string, int>(StringComparer.Ordinal) { ["insur"] = 700, ["clean"] = 60, ["crown"] = 70, ["children"] = 30, ["cover"] = 650 },
        DateTimeOffset.UnixEpoch);

    private static string[] Lexemes(string term) => term switch
    {
        "insurance" or "insur" or "insured" => ["insur"],
        "cover" or "covered" => ["cover"],
        "crowns" or "crown" => ["crown"],
        "cleaning" or "clean" => ["clean"],
        "does" => [],
        _ => [term],
    };

    [Theory]
    [InlineData("insruance", "insurance")] // letters swapped
    [InlineData("cleening", "cleaning")] // one letter wrong
    [InlineData("childern", "children")]
    public void Lexicon_CorrectsMisspeltWords_ToTheTenantsWord(string typo, string expected) => Assert.Equal(expected, Lexicon.Correct(typo));

    [Theory]
    [InlineData("insurance")] // known
    [InlineData("crwn")] // too short to correct
    [InlineData("motorcycle")] // nothing close
    public void Lexicon_LeavesKnownShortAndUnrelatedWordsAlone(string word) => Assert.Null(Lexicon.Correct(word));

    [Fact]
    public void Query_AddsTheCorrectionToTheFullTextTerms()
    {
        var query = LexicalQuery.From("do you take insruance", Lexicon);
        Assert.Equal("insurance", query.Corrections["insruance"]);
        Assert.Contains("insurance", query.Terms);
        Assert.Contains("insruance", query.Terms);
        Assert.Empty(LexicalQuery.From("do you take insurance", Lexicon).Corrections);
    }

    [Fact]
    public void Filter_KeepsRareTermsWhole_CommonTermsForTitles_AndDropsTheRest()
    {
        var query = new LexicalQuery("does insurance cover crowns for children", ["insurance", "cover", "crowns", "children", "does"], [], new Dictionary<string, string>());
        var (filter, titles) = query.FilterQuery(Lexemes, Lexicon.ChunkFrequency, Lexicon.TitleFrequency, 500);
        Assert.Equal("children", filter); // 120 chunks
        Assert.Equal("crowns", titles); // 2,800 chunks, 70 titles: 120 + 70 ≤ 500; insurance (700) and cover (650) only rank
    }

    [Fact]
    public void Filter_WhenNothingFits_UsesTheGroupRarestInTitles()
    {
        var query = new LexicalQuery("insurance cover", ["insurance", "insured", "cover"], [], new Dictionary<string, string>());
        var (filter, titles) = query.FilterQuery(Lexemes, Lexicon.ChunkFrequency, Lexicon.TitleFrequency, 100);
        Assert.Equal("", filter);
        Assert.Equal("cover", titles);
    }

    [Fact]
    public void Filter_WithALargeBudget_IsTheWholeOrQuery()
    {
        var query = new LexicalQuery("insurance crowns", ["insurance", "insur", "crowns"], [], new Dictionary<string, string>());
        var (filter, titles) = query.FilterQuery(Lexemes, Lexicon.ChunkFrequency, Lexicon.TitleFrequency, 100_000);
        Assert.Equal(["crowns", "insur", "insurance"], filter.Split(" | ").Order(StringComparer.Ordinal));
        Assert.Equal("", titles);
    }
}
