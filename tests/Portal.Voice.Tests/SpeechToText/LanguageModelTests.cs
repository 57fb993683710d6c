using System.Globalization;
using Portal.Voice.SpeechToText.LanguageModels;

namespace Portal.Voice.Tests.SpeechToText;

public sealed class LanguageModelTests
{
    /// <summary>Reads an ARPA file back: n-gram → (log10 p, log10 backoff).</summary>
    private static Dictionary<string, (double P, double Backoff)> ParseArpa(string arpa)
    {
        var entries = new Dictionary<string, (double, double)>(StringComparer.Ordinal);
        foreach (var line in arpa.Split('\n'))
        {
            var fields = line.Split('\t');
            if (fields.Length >= 2)
            {
                entries[fields[1]] = (double.Parse(fields[0], CultureInfo.InvariantCulture), fields.Length > 2 ? double.Parse(fields[2], CultureInfo.InvariantCulture) : 0);
            }
        }

        return entries;
    }

    /// <summary>P(word | history) with ARPA back-off.</summary>
    private static double Probability(Dictionary<string, (double P, double Backoff)> lm, string[] history, string word)
    {
        var ngram = string.Join(' ', [.. history, word]);
        if (lm.TryGetValue(ngram, out var e))
        {
            return Math.Pow(10, e.P);
        }

        double backoff = history.Length > 0 && lm.TryGetValue(string.Join(' ', history), out var h) ? Math.Pow(10, h.Backoff) : 1;
        return backoff * Probability(lm, history[1..], word);
    }

    private static ArpaLanguageModelBuilder Corpus()
    {
        var builder = new ArpaLanguageModelBuilder(3);
        foreach (var s in new[] { "book a cleaning tomorrow", "book a whitening today", "cancel my cleaning", "book a cleaning at ten", "yes please" })
        {
            builder.Add(s.Split(' '));
        }

        return builder;
    }

    [Theory]
    [InlineData("book a")]
    [InlineData("<s> book")]
    [InlineData("cancel")]
    [InlineData("my cleaning")]
    [InlineData("tomorrow")]
    public void WittenBellTrigram_IsNormalized_ForEveryHistory(string history)
    {
        var builder = Corpus();
        var lm = ParseArpa(builder.ToArpa());
        var words = builder.Vocabulary.Append(ArpaLanguageModelBuilder.SentenceEnd).ToList();

        double total = words.Sum(w => Probability(lm, history.Split(' '), w));

        Assert.Equal(1.0, total, 4); // ARPA keeps six decimals of log10, so sums are exact to about 1e-5
    }

    [Fact]
    public void Arpa_HasCountsHeader_SeenTrigramBeatsBackoff_AndStartIsNeverPredicted()
    {
        var builder = Corpus();
        var arpa = builder.ToArpa();
        var lm = ParseArpa(arpa);

        Assert.StartsWith("\\data\\\nngram 1=", arpa, StringComparison.Ordinal);
        Assert.EndsWith("\\end\\\n", arpa, StringComparison.Ordinal);
        Assert.Equal(-99, lm["<s>"].P);
        Assert.True(Probability(lm, ["book", "a"], "cleaning") > Probability(lm, ["book", "a"], "please"));
        Assert.True(Probability(lm, ["cancel", "my"], "whitening") > 0); // unseen, still possible through back-off
    }

    [Fact]
    public void Dictionary_ParsesVariants_SplitsCompounds_AndFallsBackToLetterToSound()
    {
        var dict = PronunciationDictionary.Parse(
            ["smile S M AY L", "care K EH R", "ten T EH N", "ten(2) T IH N", ";;; comment"],
            word => word == "patel" ? "P AH T EH L" : null);

        Assert.Equal(["T EH N", "T IH N"], dict.Pronounce("ten"));
        Assert.Equal(["S M AY L K EH R"], dict.Pronounce("smilecare"));
        Assert.Equal(["P AH T EH L"], dict.Pronounce("patel"));
        Assert.Empty(dict.Pronounce("zzxq"));
        Assert.False(dict.Contains("patel"));
    }

    [Theory]
    [InlineData("nˈuːjɛn", "N UW Y EH N")]
    [InlineData("pɐtˈɛl", "P AH T EH L")]
    [InlineData("bɹˈaɪt", "B R AY T")]
    [InlineData("tʃˈɛk", "CH EH K")]
    [InlineData("hˈɛɹkʌt", "HH EH R K AH T")]
    public void IpaToArpabet_MapsEspeakOutput(string ipa, string phones) => Assert.Equal(phones, LetterToSound.IpaToArpabet(ipa));

    [Theory]
    [InlineData("Dr. Patel & Co", "doctor patel and company")]
    [InlineData("Open 24 hours", "open twenty four hours")]
    [InlineData("I'd like 1 crown, please!", "i'd like one crown please")]
    [InlineData("Suite 1500", "suite fifteen hundred")]
    [InlineData("", "")]
    public void SpokenTokens_ReadWrittenTextAloud(string text, string spoken) => Assert.Equal(spoken, string.Join(' ', SpokenTokens.Split(text)));

    [Fact]
    public void VocabularyKey_IgnoresOrderAndCase_AndChangesWithContent()
    {
        var a = new SpeechVocabulary("Bright Smile", ["Cleaning", "Whitening"], ["Dr. Patel"]);
        var b = new SpeechVocabulary("bright  smile", ["whitening", "cleaning"], ["dr. patel"]);
        var c = new SpeechVocabulary("Bright Smile", ["Cleaning", "Whitening", "Crown"], ["Dr. Patel"]);

        Assert.Equal(a.Key, b.Key);
        Assert.NotEqual(a.Key, c.Key);
    }

    [Fact]
    public void Corpus_CoversTheBusinessServicesPeopleTimesAndIntents_AndIsDeterministic()
    {
        var vocabulary = new SpeechVocabulary("Luna Hair Studio", ["Balayage Highlights", "Haircut"], ["Maria Lopez"]);

        var first = ReceptionistCorpus.Sentences(vocabulary).Select(s => string.Join(' ', s)).ToList();
        var second = ReceptionistCorpus.Sentences(vocabulary).Select(s => string.Join(' ', s)).ToList();
        var words = first.SelectMany(s => s.Split(' ')).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(first, second);
        Assert.Contains("balayage", words);
        Assert.Contains("luna", words);
        Assert.Contains("maria", words);
        Assert.Contains("trim", words); // the built-in caller phrasing of a haircut
        Assert.Contains("reschedule", words);
        Assert.Contains(first, s => s.Contains("haircut", StringComparison.Ordinal) && s.Contains("tomorrow", StringComparison.Ordinal));
    }

    [Fact]
    public void Store_WritesModelAndDictionaryOnce_PerVocabulary_AndDropsUnspellableWords()
    {
        var dir = Directory.CreateTempSubdirectory("portal-lm-test-");
        try
        {
            var dict = PronunciationDictionary.Parse(
                new[] { "book B UH K", "a AH", "cleaning K L IY N IH NG", "tomorrow T AH M AA R OW", "yes Y EH S" }, letterToSound: null);
            int loads = 0;
            var store = new DomainLanguageModelStore(dir.FullName, () => { loads++; return dict; });
            var vocabulary = new SpeechVocabulary("Qzx", ["Cleaning"], []);

            var model = store.Get(vocabulary);
            var again = new DomainLanguageModelStore(dir.FullName, () => { loads++; return dict; }).Get(vocabulary);

            Assert.Equal(1, loads); // the second store found the files on disk
            Assert.Equal(model.LanguageModelPath, again.LanguageModelPath);
            var arpa = File.ReadAllText(model.LanguageModelPath);
            var dictionary = File.ReadAllLines(model.DictionaryPath);
            Assert.Contains("cleaning K L IY N IH NG", dictionary);
            Assert.All(dictionary, line => Assert.True(dict.Contains(line.Split(' ')[0].Split('(')[0])));
            Assert.DoesNotContain("qzx", arpa, StringComparison.Ordinal); // no pronunciation: left out of the model
            Assert.Contains("\tbook a cleaning", arpa, StringComparison.Ordinal);
            Assert.Equal(dictionary.Length, model.WordCount);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
