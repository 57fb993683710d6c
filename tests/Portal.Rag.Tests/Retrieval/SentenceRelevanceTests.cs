using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Portal.Rag.Retrieval;

namespace Portal.Rag.Tests.Retrieval;

/// <summary>Sentence relevance: lexical coverage alone, and with the vectors of a registered embedding generator.</summary>
public sealed class SentenceRelevanceTests
{
    private static readonly string[] Sentences =
    [
        "Kids' cuts (12 and under) are $30.",
        "Maya works Tuesday to Saturday.",
        "We don't take checks.",
    ];

    [Fact]
    public async Task Lexical_RanksTheSentenceNamingTheQuestionsWordsFirst()
    {
        var relevance = new SentenceRelevance(Options.Create(new KnowledgeOptions()));
        var scores = await relevance.ScoreAsync("how much is a cut for my kid", Sentences, null, CancellationToken.None);

        Assert.False(relevance.DenseEnabled);
        Assert.Equal(0, IndexOfMax(scores));
        Assert.InRange(scores[1], 0, 0.1);
    }

    [Fact]
    public async Task Dense_LiftsASentenceTheWordsMissButTheVectorFinds()
    {
        // The counting generator gives the question and the Maya sentence the same vector: cosine 1 where no word is shared.
        var generator = new FixedGenerator(t => t.Contains("Maya", StringComparison.Ordinal) || t.Contains("stylist", StringComparison.Ordinal) ? [1, 0] : [0, 1]);
        var relevance = new SentenceRelevance(Options.Create(new KnowledgeOptions()), null, generator);

        var scores = await relevance.ScoreAsync("which stylist is in on the weekend", Sentences, null, CancellationToken.None);
        var again = await relevance.ScoreAsync("which stylist is in on the weekend", Sentences, null, CancellationToken.None);

        Assert.True(relevance.DenseEnabled);
        Assert.Equal(1, IndexOfMax(scores));
        Assert.Equal(1.0, scores[1], 3);
        Assert.Equal(scores, again);
        Assert.Equal(4, generator.Embedded); // the question and three sentences once; the second call is served from the cache
    }

    [Fact]
    public async Task Dense_BelowTheMinimumCosine_LeavesTheLexicalScore()
    {
        var relevance = new SentenceRelevance(Options.Create(new KnowledgeOptions()), null, new HashedNgramEmbeddingGenerator());
        var lexical = SentenceRelevance.Lexical("do you take checks", Sentences, null);
        var scores = await relevance.ScoreAsync("do you take checks", Sentences, null, CancellationToken.None);

        Assert.Equal(2, IndexOfMax(scores));
        Assert.All(Enumerable.Range(0, Sentences.Length), i => Assert.True(scores[i] >= lexical[i]));
    }

    private static int IndexOfMax(IReadOnlyList<double> scores) => Enumerable.Range(0, scores.Count).MaxBy(i => scores[i]);

    /// <summary>An embedding generator with a given vector per text, counting the texts it embeds.</summary>
    private sealed class FixedGenerator(Func<string, float[]> vectorOf) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public int Embedded { get; private set; }

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var result = new GeneratedEmbeddings<Embedding<float>>();
            foreach (var v in values)
            {
                Embedded++;
                result.Add(new Embedding<float>(vectorOf(v)));
            }

            return Task.FromResult(result);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
