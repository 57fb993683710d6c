using Portal.Rag.Lexical;

namespace Portal.Rag.Retrieval;

/// <summary>Spelling correction of a question against the words of the retrieved candidates, before lexical coverage is scored.</summary>
internal static class CandidateSpelling
{
    /// <summary>
    /// Replaces each word of <paramref name="question"/> (6+ letters, unknown to the lexicon) that no candidate contains by the candidates' word
    /// nearest in optimal string alignment distance (at most 1 edit, 2 for words of 8+ letters; ties go to the more
    /// frequent word): the words the trigram arm matched ("cleening" → "cleaning"), so coverage counts them.
    /// </summary>
    public static string Correct(string question, IReadOnlyCollection<PostgresKnowledgeBase.Candidate> candidates)
    {
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in candidates)
        {
            foreach (var w in Words(c.Title + " " + c.Text))
            {
                vocabulary[w] = vocabulary.GetValueOrDefault(w) + 1;
            }
        }

        var words = question.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < words.Length; i++)
        {
            var w = new string([.. words[i].ToLowerInvariant().Where(char.IsLetter)]);
            // Short words and words the receptionist lexicon knows are real words, not typos ("night" is not "right").
            if (w.Length < 6 || vocabulary.ContainsKey(w) || Tokenizer.IsStopWord(w) || ReceptionistLexicon.Group(Tokenizer.Stem(w)) >= 0)
            {
                continue;
            }

            var limit = w.Length >= 8 ? 2 : 1;
            var best = vocabulary
                .Where(v => Math.Abs(v.Key.Length - w.Length) <= limit)
                .Select(v => (Word: v.Key, Count: v.Value, Distance: Domain.Conversations.Understanding.TextDistance.Osa(w, v.Key, limit)))
                .Where(v => v.Distance <= limit)
                .OrderBy(v => v.Distance).ThenByDescending(v => v.Count).ThenBy(v => v.Word, StringComparer.Ordinal)
                .FirstOrDefault();
            if (best.Word is not null)
            {
                words[i] = best.Word;
            }
        }

        return string.Join(' ', words);

        static IEnumerable<string> Words(string text) =>
            text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
                .Select(t => new string([.. t.Where(char.IsLetter)])).Where(t => t.Length >= 4);
    }
}
