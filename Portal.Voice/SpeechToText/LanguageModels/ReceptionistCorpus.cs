using Portal.Domain.Conversations.Understanding;

namespace Portal.Voice.SpeechToText.LanguageModels;

/// <summary>
/// The sentences a business's callers are expected to say, for its language model: <see cref="ReceptionistPhrases"/>
/// templates filled with the business's services (and the built-in caller phrasings of those services,
/// <see cref="ServiceSynonyms"/>), its people and name, weekdays, dates, times, caller names and digit strings; plus every
/// phrase the intent classifier acts on (<see cref="IntentRules"/>), so what the engine understands is what the
/// recognizer expects. Deterministic: the same vocabulary gives the same corpus.
/// </summary>
public static class ReceptionistCorpus
{
    /// <summary>Most sentences one template expands to.</summary>
    public const int MaxExpansionsPerTemplate = 48;

    /// <summary>Copies of a template without slots, so short answers ("what are your hours") weigh like filled ones.</summary>
    public const int FixedTemplateWeight = 6;

    /// <summary>Builds the corpus.</summary>
    /// <param name="vocabulary">The business's words.</param>
    /// <returns>Sentences as lower-case spoken words.</returns>
    public static IEnumerable<IReadOnlyList<string>> Sentences(SpeechVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        var slots = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["service"] = ServicePhrases(vocabulary),
            ["day"] = ReceptionistPhrases.Days,
            ["time"] = ReceptionistPhrases.Times,
            ["part"] = ReceptionistPhrases.PartsOfDay,
            ["person"] = [.. vocabulary.People.Select(Spoken).Where(p => p.Length > 0).SelectMany(PersonForms), .. ReceptionistPhrases.GenericPeople],
            ["business"] = Spoken(vocabulary.BusinessName) is { Length: > 0 } business ? [business, "the office"] : ["the office"],
            ["first"] = ReceptionistPhrases.FirstNames,
            ["last"] = ReceptionistPhrases.LastNames,
            ["digits"] = DigitStrings(),
        };

        for (int t = 0; t < ReceptionistPhrases.Templates.Length; t++)
        {
            foreach (var sentence in Expand(ReceptionistPhrases.Templates[t], t, slots))
            {
                yield return SpokenTokens.Split(sentence);
            }
        }

        foreach (var (phrase, _, _) in IntentRules.Rules)
        {
            foreach (var part in phrase.Split('*', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                yield return SpokenTokens.Split(part);
            }
        }

        foreach (var service in slots["service"])
        {
            yield return SpokenTokens.Split(service);
        }
    }

    private static IEnumerable<string> Expand(string template, int templateIndex, Dictionary<string, string[]> slots)
    {
        var parts = template.Split('{', '}');
        // parts: text, slot, text, slot, …: odd indexes are slot names.
        if (parts.Length == 1)
        {
            return Enumerable.Repeat(template, FixedTemplateWeight);
        }

        int count = Math.Min(MaxExpansionsPerTemplate, parts.Where((_, i) => i % 2 == 1).Max(name => slots[name].Length));
        var sentences = new List<string>(count);
        for (int k = 0; k < count; k++)
        {
            var sentence = new System.Text.StringBuilder();
            for (int i = 0; i < parts.Length; i++)
            {
                if (i % 2 == 0)
                {
                    sentence.Append(parts[i]);
                    continue;
                }

                // Each slot steps through its values at its own rate, so pairs of slots meet in varied combinations.
                var values = slots[parts[i]];
                int m = i / 2;
                sentence.Append(values[((k * ((2 * m) + 1)) + templateIndex + (m * 5)) % values.Length]);
            }

            sentences.Add(sentence.ToString());
        }

        return sentences;
    }

    private static string[] ServicePhrases(SpeechVocabulary vocabulary)
    {
        var phrases = new List<string>();
        foreach (var service in vocabulary.Services.Select(Spoken).Where(s => s.Length > 0))
        {
            phrases.Add(service);
            foreach (var (key, synonyms) in ServiceSynonyms.ByNameKey)
            {
                if ($" {service} ".Contains($" {key} ", StringComparison.Ordinal))
                {
                    phrases.AddRange(synonyms);
                }
            }
        }

        return phrases.Count == 0 ? ["appointment", "consultation", "visit"] : [.. phrases.Distinct(StringComparer.Ordinal)];
    }

    private static IEnumerable<string> PersonForms(string person)
    {
        yield return person;
        var words = person.Split(' ');
        if (words.Length > 1 && words[0] == "doctor")
        {
            yield return words[^1]; // "doctor patel" is also just "patel"
        }
        else if (words.Length > 1)
        {
            yield return words[0];
        }
    }

    private static string[] DigitStrings()
    {
        // Phone numbers and codes, three to ten digits, from a fixed-seed generator so the corpus is reproducible.
        var random = new Random(20_26);
        var digits = ReceptionistPhrases.Digits;
        return Enumerable.Range(0, 40)
            .Select(i => string.Join(' ', Enumerable.Range(0, 3 + (i % 8)).Select(_ => digits[random.Next(digits.Length)])))
            .ToArray();
    }

    private static string Spoken(string text) => string.Join(' ', SpokenTokens.Split(text));
}
