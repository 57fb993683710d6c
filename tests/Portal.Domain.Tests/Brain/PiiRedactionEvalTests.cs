using System.Text;
using System.Text.RegularExpressions;
using Portal.Data.Entities;
using Portal.Domain.Brain.Pii;
using Xunit.Abstractions;

namespace Portal.Domain.Tests.Brain;

/// <summary>
/// The PII evaluation: eval/pii-utterances.txt holds over a hundred utterances with planted personal data in varied
/// wording (cards, emails, phones, bank numbers, SSNs, dates of birth, addresses) and dozens without any. A planted item
/// is recalled when a match of its category overlaps it; a match is correct when it overlaps a planted item of its
/// category. Floors: recall ≥ 0.98 for cards, emails and phones, ≥ 0.9 for the rest; precision ≥ 0.95 overall.
/// </summary>
public sealed class PiiRedactionEvalTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, PiiCategory> Categories = new()
    {
        ["card"] = PiiCategory.Card, ["email"] = PiiCategory.Email, ["phone"] = PiiCategory.Phone, ["bank"] = PiiCategory.BankAccount,
        ["ssn"] = PiiCategory.Ssn, ["dob"] = PiiCategory.DateOfBirth, ["address"] = PiiCategory.StreetAddress,
    };

    private sealed record Case(string Text, List<PiiMatch> Planted);

    private static List<Case> Load()
    {
        var cases = new List<Case>();
        foreach (var line in File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "eval", "pii-utterances.txt")))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var text = new StringBuilder();
            var planted = new List<PiiMatch>();
            int at = 0;
            foreach (Match m in Regex.Matches(line, @"\[\[(\w+)\|([^\]]+)\]\]"))
            {
                text.Append(line, at, m.Index - at);
                planted.Add(new PiiMatch(Categories[m.Groups[1].Value], text.Length, m.Groups[2].Length));
                text.Append(m.Groups[2].Value);
                at = m.Index + m.Length;
            }

            text.Append(line, at, line.Length - at);
            cases.Add(new Case(text.ToString(), planted));
        }

        return cases;
    }

    private static bool Overlaps(PiiMatch a, PiiMatch b) => a.Category == b.Category && a.Start < b.End && b.Start < a.End;

    [Fact]
    public void Eval_MeetsRecallAndPrecisionFloors()
    {
        var cases = Load();
        Assert.True(cases.Count >= 100, $"only {cases.Count} utterances");
        Assert.True(cases.Count(c => c.Planted.Count == 0) >= 20, "too few utterances without personal data");
        var options = RedactionOptions.All(2026);
        var planted = new Dictionary<PiiCategory, (int Total, int Found)>();
        int matches = 0, correct = 0;
        foreach (var c in cases)
        {
            var found = PiiRedactor.Find(c.Text, options);
            foreach (var p in c.Planted)
            {
                bool hit = found.Any(f => Overlaps(f, p));
                var (total, ok) = planted.GetValueOrDefault(p.Category);
                planted[p.Category] = (total + 1, ok + (hit ? 1 : 0));
                if (!hit)
                {
                    output.WriteLine($"MISSED {p.Category}: {c.Text.Substring(p.Start, p.Length)}  |  {c.Text}");
                }
            }

            foreach (var f in found)
            {
                matches++;
                if (c.Planted.Any(p => Overlaps(f, p)))
                {
                    correct++;
                }
                else
                {
                    output.WriteLine($"WRONG {f.Category}: \"{c.Text.Substring(f.Start, f.Length)}\"  |  {c.Text}");
                }
            }
        }

        foreach (var (category, (total, ok)) in planted.OrderBy(p => p.Key))
        {
            output.WriteLine($"{category}: recall {ok}/{total} = {(double)ok / total:0.000}");
        }

        double precision = (double)correct / matches;
        output.WriteLine($"precision {correct}/{matches} = {precision:0.000}");
        foreach (var (category, (total, ok)) in planted)
        {
            double floor = category is PiiCategory.Card or PiiCategory.Email or PiiCategory.Phone ? 0.98 : 0.9;
            Assert.True((double)ok / total >= floor, $"{category} recall {ok}/{total} below {floor}");
        }

        Assert.Equal(7, planted.Count);
        Assert.True(precision >= 0.95, $"precision {precision:0.000} below 0.95");
    }

    [Fact]
    public void Redact_ReplacesOnlyChosenCategories_AndKeepsTheBusinessNumber()
    {
        var options = new RedactionOptions(PiiCategory.Card | PiiCategory.Email, 2026, ["+1 (415) 555-0100"]);
        var result = PiiRedactor.Redact("Card 4111 1111 1111 1111, mail ann@x.com, call 415-555-0199.", options);
        Assert.Equal("Card [card number], mail [email], call 415-555-0199.", result.Text);

        var all = new RedactionOptions(PiiCategory.All, 2026, ["+1 (415) 555-0100"]);
        Assert.Equal("Our number is 415-555-0100; yours is [phone].", PiiRedactor.Redact("Our number is 415-555-0100; yours is 415-555-0199.", all).Text);
    }

    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("4111111111111112", false)]
    [InlineData("378282246310005", true)]
    [InlineData("12a4", false)]
    public void PassesLuhn_FollowsIso7812(string digits, bool valid) => Assert.Equal(valid, PiiRedactor.PassesLuhn(digits));

    [Fact]
    public void Redact_NonLuhnSixteenDigits_IsNoCard()
    {
        var result = PiiRedactor.Redact("Order 1234 5678 9012 3456 shipped.", RedactionOptions.All(2026));
        Assert.Empty(result.Matches);
    }
}
