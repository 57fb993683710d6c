using Portal.Domain.Tests.EngineEval;
using Xunit.Abstractions;

namespace Portal.Domain.Tests.Conversations;

/// <summary>
/// The team's own conversation suite (eval/conversation-suite.jsonl): for each failure class seen on real booking calls
/// (a booking swallowed by the message flow, a pending question ignored, "yes + request" read as a bare yes, a short
/// confirmation read as goodbye, a change of provider read as "no", side questions that loop, a bare "yes" to several
/// slots, words taken for names, time phrases not understood, read-backs without weekday and date), varied wording over
/// a salon, a dentist, a doctor, a therapist and an auto shop. Every case must hold every check.
/// </summary>
public sealed class ConversationSuiteTests(ITestOutputHelper output)
{
    private const int MinimumCasesPerClass = 15;

    private static readonly Lazy<IReadOnlyList<SuiteCase>> Cases = new(() =>
        SuiteCase.Load(Path.Combine(AppContext.BaseDirectory, "eval", "conversation-suite.jsonl")));

    /// <summary>Case ids, one theory row each.</summary>
    public static TheoryData<string> CaseIds()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases.Value)
        {
            data.Add(c.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public async Task SuiteCase_HoldsEveryCheck(string id)
    {
        var suiteCase = Cases.Value.Single(c => c.Id == id);
        var result = await EngineEvalRunner.RunAsync(suiteCase, CancellationToken.None);

        output.WriteLine(result.Transcript);
        Assert.True(result.Passed, $"{id} ({suiteCase.Class}): {string.Join("; ", result.Failures)}\n{result.Transcript}");
    }

    [Fact]
    public void Suite_HasFifteenCasesPerClass_WithUniqueIds_OverEveryBusiness()
    {
        var cases = Cases.Value;
        Assert.Equal(cases.Count, cases.Select(c => c.Id).Distinct(StringComparer.Ordinal).Count());
        foreach (var group in cases.GroupBy(c => c.Class))
        {
            Assert.True(group.Count() >= MinimumCasesPerClass, $"class {group.Key} has {group.Count()} cases");
        }

        Assert.True(cases.Select(c => c.Class).Distinct().Count() >= 10, "fewer than ten failure classes");
        Assert.Equal(EvalBusinesses.Keys.Order(), cases.Select(c => c.Business).Distinct().Order());
    }
}
