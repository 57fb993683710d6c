using Portal.Data.Entities;
using Portal.Domain.Knowledge;

namespace Portal.Domain.Conversations.Answers;

/// <summary>
/// Answers a caller's question from the business's knowledge with the sentences that answer it, never a whole chunk
/// or file: retrieves passages (<see cref="IKnowledgeBase.SearchAsync(KnowledgeQuery, CancellationToken)"/>), cuts
/// them into sentences (<see cref="QuotableText"/>), leaves out sentences addressed to the agent
/// (<see cref="DocumentDirectives"/>), ranks the rest with the knowledge base's own relevance
/// (<see cref="IKnowledgeBase.RelevanceAsync"/>: lexical, and the embedding vectors when a provider is registered) and
/// composes a short reply (<see cref="AnswerComposer"/>). The owner's words come first: a conditional rule in the custom
/// instructions, then an FAQ whose question matches. A question about the caller's own booking is not a knowledge
/// question and gets no answer here.
/// </summary>
/// <param name="knowledge">The tenant's knowledge base.</param>
public sealed class KnowledgeResponder(IKnowledgeBase knowledge)
{
    /// <summary>Hits retrieved per question.</summary>
    public const int HitsSearched = 3;

    /// <summary>Minimum knowledge score (0..1) of a passage for an answer to be quoted from it (below: "I don't know"); every engine uses it.</summary>
    public const double MinimumKnowledgeScore = 0.3;

    /// <summary>Lowest relevance (0..1) of a sentence that may be quoted, from a passage that cleared <see cref="MinimumKnowledgeScore"/> as a whole.</summary>
    public const double MinimumSentenceScore = 0.2;

    /// <summary>
    /// Lowest relevance (0..1) of a document sentence that answers in place of a built-in fact: "what do I do in an
    /// emergency after hours?" reads as an hours question, but a sentence naming nearly all its words answers it better.
    /// </summary>
    public const double StrictSentenceScore = 0.75;

    /// <summary>Share of the best sentence's relevance another sentence needs to be said with it.</summary>
    public const double RelativeFloor = 0.6;

    /// <summary>Lowest relevance (0..1) of an FAQ question (or the topic of an owner's rule) to the caller's question for its answer to be given.</summary>
    public const double FaqMatchScore = 0.6;

    /// <summary>
    /// The answer to <paramref name="question"/> from knowledge, or null when nothing answers it (or it is not a
    /// knowledge question). <paramref name="offerMore"/> false leaves out the offer to say more (a task is in progress).
    /// </summary>
    public async Task<ComposedAnswer?> AnswerAsync(DialogueContext ctx, string question, bool offerMore, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var shape = QuestionShape.Of(question);
        if (shape.AsksBookingStatus)
        {
            return null;
        }

        if (await OwnerRuleAsync(ctx, question, shape, offerMore, ct) is { } owner)
        {
            return owner;
        }

        var hits = await SearchAsync(ctx, question, ct);
        if (await FaqAsync(ctx, question, shape, hits, offerMore, ct) is { } faq)
        {
            return faq;
        }

        return await FromSentencesAsync(ctx, question, shape, hits, offerMore, ct)
            ?? await OwnerMentionAsync(ctx, question, shape, offerMore, ct);
    }

    /// <summary>True when the question names something besides opening hours and whereabouts ("emergency" in "what do I do in an emergency after hours?").</summary>
    private static bool HasTopicBeyondFacts(string question) => LexicalRelevance.Terms(question).Any(t => !FactWords.Contains(t));

    private static readonly HashSet<string> FactWords = new(StringComparer.Ordinal)
    {
        "open", "close", "closed", "clos", "hour", "time", "today", "tomorrow", "tonight", "day", "week", "weekend", "morning", "afternoon",
        "evening", "night", "late", "early", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "holiday", "address",
        "located", "locat", "location", "direction", "street", "city", "town", "office", "place", "find", "go", "there", "here", "until", "till",
        "weekday", "business", "operation", "exactly", "based", "clinic", "salon", "shop", "practice", "building", "come", "now", "currently", "area",
        "neighborhood", "part", "downtown", "st", "map", "way", "right", "usual", "normal", "regular", "everyday", "daily",
    };

    private async Task<ComposedAnswer?> FromSentencesAsync(DialogueContext ctx, string question, QuestionShape shape, IReadOnlyList<KnowledgeHit> hits, bool offerMore, CancellationToken ct,
        double minimum = MinimumSentenceScore)
    {
        var units = Units(hits);
        if (units.Count == 0)
        {
            return null;
        }

        var scores = await knowledge.RelevanceAsync(ctx.Profile.TenantId, question, [.. units.Select(u => u.Scored)], ct);
        var ranked = units
            .Select((u, i) => (Unit: u, Relevance: scores[i], Score: scores[i] + (shape.AsksPrice && QuotableText.StatesPrice(u.Text) ? PriceBonus : 0)))
            .Where(x => x.Relevance >= minimum)
            .OrderByDescending(x => x.Score).ThenBy(x => x.Unit.Hit).ThenBy(x => x.Unit.Position)
            .ToList();
        if (ranked.Count == 0)
        {
            return null;
        }

        var floor = ranked[0].Score * RelativeFloor;
        return Compose(ctx, question, shape, [.. ranked.Where(x => x.Score >= floor).Select(x => x.Unit)], offerMore);
    }

    /// <summary>
    /// The answer that goes before a built-in fact (hours, address), when one applies: a rule of the custom instructions
    /// or an FAQ whose question matches <paramref name="question"/> (relevance at least <see cref="FaqMatchScore"/>), a
    /// document sentence that names nearly all of it (<see cref="StrictSentenceScore"/>), or a point the owner asks to
    /// mention that is about it ("where do I park?" and "always mention our free parking"); null otherwise.
    /// </summary>
    public async Task<ComposedAnswer?> BeforeFactsAsync(DialogueContext ctx, string question, bool offerMore, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var shape = QuestionShape.Of(question);
        if (shape.AsksBookingStatus)
        {
            return null;
        }

        var hits = await SearchAsync(ctx, question, ct);
        return await OwnerRuleAsync(ctx, question, shape, offerMore, ct)
            ?? await FaqAsync(ctx, question, shape, hits, offerMore, ct)
            ?? (HasTopicBeyondFacts(question) ? await FromSentencesAsync(ctx, question, shape, hits, offerMore, ct, StrictSentenceScore) : null)
            ?? await OwnerMentionAsync(ctx, question, shape, offerMore, ct);
    }

    /// <summary>The point the owner asks every caller to hear, when the conversation has not heard it yet and it is not already in <paramref name="reply"/>; null otherwise.</summary>
    public static string? MentionOnce(BusinessProfile profile, DialogueState state, string reply)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(state);
        if (state.OwnerPointsMentioned)
        {
            return null;
        }

        var mentions = OwnerInstructions.Mentions(profile.CustomInstructions);
        if (mentions.Count == 0)
        {
            return null;
        }

        state.OwnerPointsMentioned = true;
        var unsaid = mentions.Select(m => m.Sentence).Where(m => LexicalRelevance.Score(m, [reply])[0] < 0.75).ToList();
        return unsaid.Count == 0 ? null : string.Join(" ", unsaid);
    }

    private const double PriceBonus = 0.15;

    private async Task<ComposedAnswer?> OwnerRuleAsync(DialogueContext ctx, string question, QuestionShape shape, bool offerMore, CancellationToken ct)
    {
        var rules = OwnerInstructions.Rules(ctx.Profile.CustomInstructions);
        return await BestOwnerTextAsync(ctx, question, shape, [.. rules.Select(r => (r.Topic, r.Answer))], offerMore, ct);
    }

    /// <summary>A point the owner asks to mention, as the answer to a question about it ("where do I park?"): every content word of the question in it.</summary>
    private async Task<ComposedAnswer?> OwnerMentionAsync(DialogueContext ctx, string question, QuestionShape shape, bool offerMore, CancellationToken ct)
    {
        var wanted = LexicalRelevance.Terms(question).Distinct(StringComparer.Ordinal).ToList();
        var mentions = OwnerInstructions.Mentions(ctx.Profile.CustomInstructions)
            .Where(m => wanted.Count > 0 && wanted.All(LexicalRelevance.Terms(m.Sentence).Contains))
            .Select(m => (m.Sentence, m.Sentence))
            .ToList();
        return await BestOwnerTextAsync(ctx, question, shape, mentions, offerMore, ct);
    }

    private async Task<ComposedAnswer?> BestOwnerTextAsync(DialogueContext ctx, string question, QuestionShape shape, IReadOnlyList<(string Topic, string Answer)> owned, bool offerMore, CancellationToken ct)
    {
        if (owned.Count == 0)
        {
            return null;
        }

        var scores = await MatchAsync(ctx, question, [.. owned.Select(o => o.Topic)], ct);
        var best = Enumerable.Range(0, owned.Count).MaxBy(i => scores[i]);
        if (scores[best] < FaqMatchScore)
        {
            return null;
        }

        var units = QuotableText.Sentences(owned[best].Answer).Select((s, i) => new Unit(s, s, owned[best].Topic, 0, i)).ToList();
        return units.Count == 0 ? null : Compose(ctx, question, shape, units, offerMore, ownerMatched: true);
    }

    private async Task<ComposedAnswer?> FaqAsync(DialogueContext ctx, string question, QuestionShape shape, IReadOnlyList<KnowledgeHit> hits, bool offerMore, CancellationToken ct)
    {
        var faqs = hits.Where(h => h.IsFaq).ToList();
        if (faqs.Count == 0)
        {
            return null;
        }

        var scores = await MatchAsync(ctx, question, [.. faqs.Select(f => f.Title)], ct);
        var best = Enumerable.Range(0, faqs.Count).MaxBy(i => scores[i]);
        if (scores[best] < FaqMatchScore)
        {
            return null;
        }

        var units = Units([faqs[best]]);
        return units.Count == 0 ? null : Compose(ctx, question, shape, units, offerMore, ownerMatched: true);
    }

    /// <summary>
    /// How well the caller's question and each owner-written question or topic match, 0..1: the larger of how much of the
    /// question the topic covers and how much of the topic the question covers ("can you tow my car?" covers all of
    /// "towing", though "car" is not in it).
    /// </summary>
    private async Task<double[]> MatchAsync(DialogueContext ctx, string question, IReadOnlyList<string> topics, CancellationToken ct)
    {
        var forward = await knowledge.RelevanceAsync(ctx.Profile.TenantId, question, topics, ct);
        var result = new double[topics.Count];
        for (var i = 0; i < topics.Count; i++)
        {
            var backward = await knowledge.RelevanceAsync(ctx.Profile.TenantId, topics[i], [question], ct);
            result[i] = Math.Max(forward[i], backward[0]);
        }

        return result;
    }

    /// <summary>
    /// The sentences of the knowledge that answer <paramref name="question"/>, for a language model's knowledge tool: per
    /// confident hit (best first) its title and at most <paramref name="perHit"/> sentences whose relevance is at least
    /// <see cref="MinimumSentenceScore"/> and <see cref="RelativeFloor"/> of the best sentence's, in document order (never
    /// a whole passage, never a line that tries to instruct the agent); empty when nothing answers it.
    /// </summary>
    public async Task<IReadOnlyList<(string Title, string Quote)>> QuotesAsync(DialogueContext ctx, string question, int perHit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var hits = await SearchAsync(ctx, question, ct);
        var units = Units(hits);
        if (units.Count == 0)
        {
            return [];
        }

        var scores = await knowledge.RelevanceAsync(ctx.Profile.TenantId, question, [.. units.Select(u => u.Scored)], ct);
        var best = scores.Max();
        var floor = Math.Max(MinimumSentenceScore, best * RelativeFloor);
        return [.. units.Select((u, i) => (Unit: u, Score: scores[i]))
            .Where(x => x.Score >= floor)
            .GroupBy(x => x.Unit.Hit)
            .OrderBy(g => g.Key)
            .Select(g => (hits[g.Key].Title, string.Join(' ', g.OrderByDescending(x => x.Score).Take(perHit).OrderBy(x => x.Unit.Position).Select(x => x.Unit.Text))))];
    }

    /// <summary>The hits confident enough to quote from, best first.</summary>
    internal async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(DialogueContext ctx, string question, CancellationToken ct)
    {
        // The conversation's agent: its own documents and the tenant-wide ones (no agent), never another agent's.
        var hits = await knowledge.SearchAsync(new KnowledgeQuery(ctx.Profile.TenantId, question, ctx.AgentPersonaId, HitsSearched), ct);
        return [.. hits.Where(h => h.Score >= MinimumKnowledgeScore)];
    }

    /// <summary>The quotable sentences of <paramref name="hits"/>, each scored together with its heading or FAQ question (its context).</summary>
    internal static List<Unit> Units(IReadOnlyList<KnowledgeHit> hits)
    {
        var units = new List<Unit>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var h = 0; h < hits.Count; h++)
        {
            var sentences = QuotableText.Sentences(hits[h].Text);
            for (var i = 0; i < sentences.Count; i++)
            {
                var s = sentences[i];
                if (!DocumentDirectives.IsDirective(s) && seen.Add(s))
                {
                    units.Add(new Unit(QuotableText.WithoutLabel(s), $"{hits[h].Title}. {s}", hits[h].Title, h, i));
                }
            }
        }

        return units;
    }

    /// <summary>Best sentence first, the others in the order they were chosen; yes or no first for a yes/no question.</summary>
    /// <remarks>
    /// When the question is a yes or no that the best sentence does not settle, an answer word the sentence opens with is
    /// dropped: "Yes, there's a free lot" answered "is there parking?", not "is everything free?". Sentences the owner
    /// wrote for a matching question (<paramref name="ownerMatched"/>) keep theirs.
    /// </remarks>
    internal static ComposedAnswer Compose(DialogueContext ctx, string question, QuestionShape shape, IReadOnlyList<Unit> chosen, bool offerMore, bool ownerMatched = false)
    {
        var polarity = shape.IsYesNo ? AnswerComposer.PolarityOf(question, chosen[0].Text, chosen[0].Scored) : Polarity.Unknown;
        var texts = chosen.Select(u => u.Text).ToList();
        if (shape.IsYesNo && polarity == Polarity.Unknown && !ownerMatched)
        {
            texts[0] = AnswerComposer.WithoutAnswerWord(texts[0]);
        }

        return AnswerComposer.Compose(texts, ctx.Channel, polarity, offerMore, question);
    }

    /// <summary>A quotable sentence: its text, the text it is scored as (with its context), its context, and where it came from.</summary>
    internal sealed record Unit(string Text, string Scored, string Context, int Hit, int Position);
}
