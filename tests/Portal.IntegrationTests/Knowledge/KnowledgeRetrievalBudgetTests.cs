using Portal.Rag.Retrieval;

namespace Portal.IntegrationTests.Knowledge;

/// <summary>The bounded candidate selection of a large knowledge base: typo correction against the tenant's words and the full-text filter budget.</summary>
public sealed class KnowledgeRetrievalBudgetTests
{
    private static readonly TenantLexicon Lexicon = new(
        10_000,
        new Dictionary<string, int>(StringComparer.Ordinal) { ["insurance"] = 3300, ["cleaning"] = 400, ["crowns"] = 2800, ["children"] = 120 },
        new Dictionary<string, int>(StringComparer.Ordinal) { ["insuranc"] = 3300, ["cleaning"] = 400, ["crown"] = 2800, ["children"] = 120 },
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

    private static readonly TenantLexicon SpokenLexicon = new(
        40,
        new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["highlights"] = 2, ["invisalign"] = 3, ["balayage"] = 1, ["pancakes"] = 2, ["brake"] = 4, ["brakes"] = 3, ["allowed"] = 2,
            ["café"] = 9, ["installed"] = 1, ["where"] = 6, ["counter"] = 1, ["please"] = 4, ["place"] = 1, ["visa"] = 2, ["line"] = 1,
        },
        new Dictionary<string, int>(StringComparer.Ordinal) { ["highlight"] = 2, ["invisalign"] = 3 },
        new Dictionary<string, int>(StringComparer.Ordinal),
        new Dictionary<string, int>(StringComparer.Ordinal),
        DateTimeOffset.UnixEpoch);

    [Theory]
    [InlineData("do you do hi lights", "hi lights", "highlights")] // "high" heard as "hi", within two edits once joined
    [InlineData("do you do in visa line", "in visa line", "invisalign")] // three words, though "visa" and "line" are the tenant's words
    [InlineData("do you do ball ayage", "ball ayage", "balayage")]
    [InlineData("how much are the pan cakes", "pan cakes", "pancakes")]
    public void Query_JoinsWordsTheRecognizerSplit(string question, string split, string joined)
    {
        var query = LexicalQuery.From(question, SpokenLexicon);
        Assert.Equal(joined, query.Corrections[split]);
        Assert.Contains(joined, query.Terms);
        Assert.Contains(joined, query.Corrected.Split(' '));
    }

    [Theory]
    [InlineData("can you install a remote starter")] // a run may not end with a stop word: "install a" is not "installed"
    [InlineData("what's the calorie count of the salad")] // "count of" is not "counter"
    [InlineData("where is the office")] // "where is" is not "where": the joined word must be longer than its parts
    public void Query_DoesNotJoinIntoADifferentWord(string question) =>
        Assert.DoesNotContain(LexicalQuery.From(question, SpokenLexicon).Corrections.Keys, k => k.Contains(' ', StringComparison.Ordinal));

    [Fact]
    public void Query_CorrectsSoundAlikes_ButNotWordsTheReceptionistLexiconKnows()
    {
        Assert.Equal("allowed", LexicalQuery.From("are dogs aloud on the patio", SpokenLexicon).Corrections["aloud"]);
        Assert.Equal("brake", LexicalQuery.From("my break pads are grinding", SpokenLexicon).Corrections["break"]);
        Assert.False(LexicalQuery.From("is it a wheelchair friendly place", SpokenLexicon).Corrections.ContainsKey("place")); // not "please"
    }

    [Fact]
    public void Query_FindsTheTenantsAccentedSpelling()
    {
        var query = LexicalQuery.From("where's the cafe", SpokenLexicon);
        Assert.Contains("café", query.Terms);
        Assert.Contains("cafe", query.Terms);
        Assert.Contains("address", query.Terms); // "where" asks for the address
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
    public void PresentOrQuery_LeavesOutTermsNoChunkContains()
    {
        var query = new LexicalQuery("do you take kids", ["kids", "children", "toddler", "does"], [], new Dictionary<string, string>());
        var present = query.PresentOrQuery(t => t == "toddler" ? ["toddler"] : t == "kids" ? ["kid"] : Lexemes(t), Lexicon.ChunkFrequency);
        Assert.Equal("children", present); // "kid" and "toddler" are in no chunk, "does" is a stop word
        Assert.Equal("", new LexicalQuery("zzz", ["zzz"], [], new Dictionary<string, string>()).PresentOrQuery(Lexemes, Lexicon.ChunkFrequency));
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
