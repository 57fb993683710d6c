using Portal.Rag.Lexical;

namespace Portal.Domain.Tests.Retrieval;

public sealed class EnglishStemmerTests
{
    [Theory]
    // Porter2 step 1a/1b/1c (examples from snowballstem.org).
    [InlineData("caresses", "caress")]
    [InlineData("ponies", "poni")]
    [InlineData("ties", "tie")]
    [InlineData("cats", "cat")]
    [InlineData("gas", "gas")]
    [InlineData("this", "this")]
    [InlineData("hoping", "hope")]
    [InlineData("hopping", "hop")]
    [InlineData("agreed", "agre")]
    [InlineData("skies", "sky")]
    [InlineData("dying", "die")]
    [InlineData("cry", "cri")]
    [InlineData("say", "say")]
    // Inflections that must collapse.
    [InlineData("accepts", "accept")]
    [InlineData("accepted", "accept")]
    [InlineData("accepting", "accept")]
    [InlineData("policies", "polici")]
    [InlineData("policy", "polici")]
    [InlineData("plans", "plan")]
    [InlineData("scheduled", "schedul")]
    [InlineData("schedule", "schedul")]
    [InlineData("ages", "age")]
    public void Stem_FollowsPorter2InflectionalSteps(string word, string stem) => Assert.Equal(stem, EnglishStemmer.Stem(word));

    [Theory]
    [InlineData("fillings", "filling")]
    [InlineData("filling", "filling")]
    [InlineData("cleanings", "cleaning")]
    [InlineData("parking", "parking")]
    [InlineData("whitening", "whitening")]
    public void Stem_KeepsIngNounsApartFromTheirVerbs(string word, string stem)
    {
        Assert.Equal(stem, EnglishStemmer.Stem(word));
        Assert.NotEqual(EnglishStemmer.Stem(word), EnglishStemmer.Stem(stem[..^3]));
    }

    [Theory]
    [InlineData("24")]
    [InlineData("ok")]
    [InlineData("ppo")]
    public void Stem_LeavesShortWordsAndNumbersAlone(string word) => Assert.Equal(word, EnglishStemmer.Stem(word));
}

public sealed class TokenizerTests
{
    [Fact]
    public void Terms_DropStopWordsContractionsAndFillers() =>
        Assert.Equal(["accept", "insuranc"], Tokenizer.Terms("Um, do u guys really accept insurance?"));

    [Fact]
    public void Terms_TellTheContractionIdFromAnId()
    {
        Assert.Empty(Tokenizer.Terms("I'd"));
        Assert.Equal(["id"], Tokenizer.Terms("do I need my ID"));
    }

    [Fact]
    public void Terms_DropPossessivesAndCurlyApostrophes() =>
        Assert.Equal(["dentist", "name"], Tokenizer.Terms("What’s the dentist's name?"));

    [Fact]
    public void Terms_FoldAccents() => Assert.Equal(["cafe", "menu"], Tokenizer.Terms("the Café menu"));

    [Fact]
    public void Terms_DropSpokenFillersAndPronouns() => Assert.Equal(["oil", "chang"], Tokenizer.Terms("yeah hi how much is the um oil change for mine"));

    [Theory]
    [InlineData("where is the salon", "address")]
    [InlineData("Where's the cafe?", "address")]
    [InlineData("what time do you close today", "open")]
    [InlineData("when do you shut on Fridays", "open")]
    public void QueryTerms_AddWhatTheQuestionWordsAskFor(string question, string intent)
    {
        Assert.Contains(Tokenizer.Stem(intent), Tokenizer.QueryTerms(question));
        Assert.DoesNotContain(Tokenizer.Stem(intent), Tokenizer.Terms(question));
        Assert.True(Tokenizer.IsIntentTerm(Tokenizer.Stem(intent)));
    }

    [Fact]
    public void QueryTerms_DoNotTreatCloseToAsClosing() => Assert.DoesNotContain("open", Tokenizer.QueryTerms("is it close to the station"));

    [Theory]
    [InlineData("reach the dentist on call", "oncall")]
    [InlineData("After-hours emergencies", "afterhours")]
    [InlineData("what if it happens out of hours", "afterhours")]
    [InlineData("can you see my 5 year old", "child")]
    [InlineData("my two-year-old needs a checkup", "child")]
    public void Terms_JoinFixedPhrases(string text, string term) => Assert.Contains(Tokenizer.Stem(term), Tokenizer.Terms(text));
}

public sealed class ReceptionistLexiconTests
{
    [Theory]
    [InlineData("take", "accept")]
    [InlineData("kid", "children")]
    [InlineData("toddler", "children")]
    [InlineData("daughter", "children")]
    [InlineData("fee", "cost")]
    [InlineData("pay", "payment")]
    [InlineData("appointment", "visit")]
    [InlineData("doc", "dentist")]
    [InlineData("nervous", "anxious")]
    [InlineData("car", "parking")]
    public void Expand_LinksReceptionistSynonyms(string word, string synonym)
    {
        var stem = Tokenizer.Stem(word);
        Assert.Equal(stem, ReceptionistLexicon.Expand(stem)[0]);
        Assert.Contains(Tokenizer.Stem(synonym), ReceptionistLexicon.Expand(stem));
    }

    [Fact]
    public void Expand_KeepsUnknownWordsAlone() => Assert.Equal(["balayag"], ReceptionistLexicon.Expand("balayag"));

    [Fact]
    public void Groups_DoNotShareAStem() => Assert.Empty(ReceptionistLexicon.Overlaps);

    [Theory]
    [InlineData("guarantee", "warranty")]
    [InlineData("dye", "colour")]
    [InlineData("color", "colour")]
    [InlineData("tire", "tyre")]
    [InlineData("braces", "invisalign")]
    [InlineData("whiter", "whitening")]
    [InlineData("patio", "outdoor")]
    [InlineData("celiac", "gluten")]
    [InlineData("handicap", "wheelchair")]
    public void Expand_KnowsEveryIndustrysWords(string word, string synonym) =>
        Assert.Contains(Tokenizer.Stem(synonym), ReceptionistLexicon.Expand(Tokenizer.Stem(word)));

    [Theory]
    [InlineData("offer", true)]
    [InlineData("dentist", true)]
    [InlineData("take", true)]
    [InlineData("insurance", false)]
    [InlineData("parking", false)]
    public void IsGeneric_MarksWordsThatDoNotPickAnAnswer(string word, bool generic) =>
        Assert.Equal(generic, ReceptionistLexicon.IsGeneric(Tokenizer.Stem(word)));
}

public sealed class SoundKeyTests
{
    [Theory]
    [InlineData("break", "brake")]
    [InlineData("aloud", "allowed")]
    [InlineData("wear", "where")]
    [InlineData("loner", "loaner")]
    [InlineData("hilights", "highlights")]
    [InlineData("fone", "phone")]
    public void SoundAlikes_ShareAKey(string heard, string meant) => Assert.Equal(SoundKey.Of(meant), SoundKey.Of(heard));

    [Theory]
    [InlineData("insurance", "entrance")]
    [InlineData("parking", "booking")]
    public void DifferentWords_HaveDifferentKeys(string a, string b) => Assert.NotEqual(SoundKey.Of(a), SoundKey.Of(b));

    [Fact]
    public void Fold_RemovesDiacritics() => Assert.Equal("cafe creme naive", SoundKey.Fold("café crème naïve"));
}

public sealed class TypoMatcherTests
{
    private static readonly string[] Vocabulary = ["insuranc", "parking", "first", "children", "sedation", "payment", "emergenci"];

    [Theory]
    [InlineData("insurenc", "insuranc")]
    [InlineData("parkin", "parking")]
    [InlineData("frist", "first")]
    [InlineData("childern", "children")]
    [InlineData("sedaton", "sedation")]
    [InlineData("paymnet", "payment")]
    [InlineData("emerganci", "emergenci")]
    public void Nearest_CorrectsOneEdit(string typo, string expected) => Assert.Equal(expected, TypoMatcher.Nearest(typo, Vocabulary, _ => 0));

    [Theory]
    [InlineData("invisalin")]
    [InlineData("fist")]
    [InlineData("dentur")]
    public void Nearest_LeavesFarOrShortWordsAlone(string term) => Assert.Null(TypoMatcher.Nearest(term, Vocabulary, _ => 0));

    [Theory]
    [InlineData("abc", "abc", 0)]
    [InlineData("abcd", "abdc", 1)]
    [InlineData("kitten", "sitting", 3)]
    public void Distance_IsOptimalStringAlignment(string a, string b, int expected) => Assert.Equal(Math.Min(expected, 3), TypoMatcher.Distance(a, b, 2));
}
