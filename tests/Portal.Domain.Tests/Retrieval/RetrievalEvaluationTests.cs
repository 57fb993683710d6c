using System.Globalization;
using Portal.Domain.Conversations.Answers;
using Portal.Rag.Lexical;
using Xunit.Abstractions;

namespace Portal.Domain.Tests.Retrieval;

/// <summary>Measures retrieval quality on <see cref="DentalRetrievalSet"/>: hit@1, hit@3, MRR and out-of-scope rejection.</summary>
public sealed class RetrievalEvaluationTests(ITestOutputHelper output)
{
    private const double MinHitAt1 = 0.85;
    private const double MinRejection = 0.9;

    [Fact]
    public void DentalSet_HasEnoughQuestions()
    {
        Assert.True(DentalRetrievalSet.Answerable.Count >= 60);
        Assert.True(DentalRetrievalSet.OutOfScope.Count >= 20);
        var passages = DentalRetrievalSet.Passages();
        foreach (var (_, expected) in DentalRetrievalSet.Answerable)
        {
            Assert.Single(passages, p => p.Text.StartsWith(expected, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void DentalSet_MeetsHitAt1AndRejectionTargets()
    {
        var index = new Bm25Index(DentalRetrievalSet.Passages());
        var threshold = KnowledgeResponder.MinimumKnowledgeScore;
        int hit1 = 0, hit3 = 0, answeredConfidently = 0;
        double reciprocal = 0;
        var misses = new List<string>();
        foreach (var (question, expected) in DentalRetrievalSet.Answerable)
        {
            var results = index.Search(question, index.Count);
            var rank = 1 + results.ToList().FindIndex(r => r.Passage.Text.StartsWith(expected, StringComparison.Ordinal));
            var top = results.Count > 0 ? results[0] : default;
            var confident = rank == 1 && top.Coverage >= threshold;
            hit1 += confident ? 1 : 0;
            hit3 += rank is >= 1 and <= 3 ? 1 : 0;
            reciprocal += rank >= 1 ? 1.0 / rank : 0;
            answeredConfidently += results.Count > 0 && top.Coverage >= threshold ? 1 : 0;
            if (!confident)
            {
                misses.Add(Describe(question, results, rank));
            }
        }

        var rejected = 0;
        foreach (var question in DentalRetrievalSet.OutOfScope)
        {
            var results = index.Search(question, 3);
            if (results.Count == 0 || results[0].Coverage < threshold)
            {
                rejected++;
            }
            else
            {
                misses.Add("out of scope answered: " + Describe(question, results, 0));
            }
        }

        var n = DentalRetrievalSet.Answerable.Count;
        var hitAt1 = (double)hit1 / n;
        var rejection = (double)rejected / DentalRetrievalSet.OutOfScope.Count;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"answerable={n} hit@1={hitAt1:F3} (rank 1 and confidence >= {threshold}) hit@3={(double)hit3 / n:F3} MRR={reciprocal / n:F3} confident={(double)answeredConfidently / n:F3}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"out-of-scope={DentalRetrievalSet.OutOfScope.Count} rejection={rejection:F3}"));
        foreach (var miss in misses)
        {
            output.WriteLine(miss);
        }

        Assert.True(hitAt1 >= MinHitAt1, $"hit@1 {hitAt1:F3} < {MinHitAt1}");
        Assert.True(rejection >= MinRejection, $"rejection {rejection:F3} < {MinRejection}");
    }

    private static string Describe(string question, IReadOnlyList<(Passage Passage, double Bm25, double Coverage)> results, int rank) =>
        string.Create(CultureInfo.InvariantCulture,
            $"  \"{question}\" expected rank {rank}; top: {string.Join(" | ", results.Take(2).Select(r => $"{r.Passage.Text[..Math.Min(30, r.Passage.Text.Length)]} ({r.Coverage:F2}, {r.Bm25:F2})"))}");
}
