using Portal.Domain.Conversations.Understanding;
using Portal.Domain.Knowledge;

namespace Portal.Domain.Conversations.Answers;

/// <summary>
/// Answers a question about one service the caller named. A variant the service's name does not cover ("kid's cut"
/// matched to Haircut, "a crown on a back tooth" to Crown) is answered from the knowledge that names it, never with the
/// nearest service's price; otherwise the answer comes from the service's own facts, "Yes, …" first when the question
/// is a yes or no ("Yes, balayage is part of our Highlights service: it's $160 and takes about 2 and a half hours").
/// </summary>
/// <param name="knowledge">The tenant's knowledge base.</param>
public sealed partial class ServiceResponder(IKnowledgeBase knowledge)
{
    /// <summary>Lowest relevance (0..1) of a knowledge sentence about a variant to the whole question.</summary>
    public const double MinimumVariantScore = 0.2;

    /// <summary>Lowest relevance (0..1) of a knowledge sentence to the variant words alone.</summary>
    public const double MinimumVariantWordScore = 0.5;

    // Words that make a variant of a service (who it is for, which part, what size), even when a keyword contains them.
    private static readonly HashSet<string> Qualifiers = new(StringComparer.Ordinal)
    {
        "men", "man", "mens", "women", "woman", "womens", "ladies", "lady", "kid", "kids", "child", "children", "childrens", "boy", "girl", "senior",
        "student", "toddler", "baby", "adult", "teen", "junior", "long", "short", "front", "back", "small", "large", "big", "extra", "full", "half",
        "partial", "single", "double", "deluxe", "express", "mini", "synthetic", "conventional", "truck", "suv", "molar", "new", "first",
    };

    // Words that ask about a service without naming a variant of it.
    private static readonly HashSet<string> NotVariant = new(StringComparer.Ordinal)
    {
        "price", "cost", "charg", "fee", "rate", "quot", "estimat", "dollar", "buck", "expensiv", "pricey", "cheap", "cheaper", "afford", "affordabl",
        "budget", "damag", "owe", "pay", "ballpark", "rough", "roughly", "approximat", "approx", "around",
        "usual", "usually", "normal", "normally", "regular", "typical", "typically", "standard", "basic", "offer", "do", "does", "service", "servic",
        "appointment", "visit", "book", "session", "treatment", "procedur", "take", "long", "time", "wonder", "wondering", "guys", "yall", "per",
        "each", "thank", "thanks", "charge", "quote", "estimate", "expensive", "damage", "service", "procedure", "approximately", "affordable", "much", "like", "cut off", "idea", "figure", "number", "ish", "ok", "great", "new", "again", "next", "today", "tomorrow", "week", "cur",
    };

    /// <summary>
    /// The reply to <paramref name="question"/> about <paramref name="service"/>; <paramref name="offerBooking"/> false
    /// leaves out "Would you like to book one?" (the caller is already booking).
    /// </summary>
    public async Task<string> AnswerAsync(DialogueContext ctx, string question, ServiceInfo service, bool offerBooking, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(service);
        var shape = QuestionShape.Of(question);
        var variant = VariantWords(question, service);
        var person = PersonVariants(question);
        if ((variant.Count > 0 || person.Count > 0) && await VariantAsync(ctx, question, service, shape, variant, person, ct) is { } fromKnowledge)
        {
            return fromKnowledge;
        }

        var offer = offerBooking ? " Would you like to book one?" : "";
        if (!shape.AsksWhetherOffered)
        {
            // "how much is a trim?", and yes/no questions other than whether we offer it ("is a haircut free today?"): the facts, no yes.
            return FactsResponder.Services(ctx.Profile, service, offerBooking);
        }

        var facts = FactsResponder.PriceAndLength(service);
        var term = MatchedKeyword(question, service);
        return term is null
            ? $"Yes, we do {SaidName(question, service)}: {facts}.{offer}"
            : $"Yes, {term} is part of our {service.Name} service: {facts}.{offer}";
    }

    /// <summary>
    /// Words of <paramref name="question"/> that neither the service's name and keywords nor a price or booking word
    /// account for: what the caller adds to the service ("kid", "men", "back tooth"), as said (not stemmed).
    /// </summary>
    internal static IReadOnlyList<string> VariantWords(string question, ServiceInfo service)
    {
        var named = string.Join(' ', new[] { service.Name }.Concat(service.Candidate.Keywords));
        // A keyword such as "mens cut" sends the caller to the right service, but "men" still names a variant that may cost something else.
        var namedTerms = LexicalRelevance.Terms(service.Name)
            .Concat(LexicalRelevance.Terms(string.Join(' ', service.Candidate.Keywords)).Where(t => !Qualifiers.Contains(t)))
            .ToHashSet(StringComparer.Ordinal);
        var compact = TextNormalizer.Normalize(service.Name).Replace(" ", "", StringComparison.Ordinal);
        var result = new List<string>();
        var said = PricePhrases().Replace(TextNormalizer.Normalize(question), " ");
        foreach (var word in said.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var terms = LexicalRelevance.Terms(word);
            if (terms.Count == 0 || word.Any(char.IsDigit))
            {
                continue;
            }

            var term = terms[0];
            if (namedTerms.Contains(term) || NotVariant.Contains(term) || NotVariant.Contains(word) || (term.Length >= 3 && compact.Contains(term, StringComparison.Ordinal)))
            {
                continue;
            }

            result.Add(word.EndsWith("'s", StringComparison.Ordinal) ? word[..^2] : word);
        }

        return result;
    }

    /// <summary>
    /// Who the service is for when the caller names a person instead of a variant ("my 8 year old", "my son", "my
    /// husband"): the words a price list uses for that variant, each tried on its own; empty when no person is named.
    /// </summary>
    internal static IReadOnlyList<string> PersonVariants(string question)
    {
        var normalized = TextNormalizer.Normalize(question);
        return ChildMention().IsMatch(normalized) ? ["kids", "kid", "children", "child", "under 12"]
            : ManMention().IsMatch(normalized) ? ["men", "mens", "gentlemen"]
            : WomanMention().IsMatch(normalized) ? ["women", "womens", "ladies"]
            : [];
    }

    private async Task<string?> VariantAsync(DialogueContext ctx, string question, ServiceInfo service, QuestionShape shape, IReadOnlyList<string> variant,
        IReadOnlyList<string> person, CancellationToken ct)
    {
        // Searched and scored with the service's name and the variant's words added: "a trim for my 8 year old" is about
        // "kids' cuts" though it shares no word with it.
        var query = person.Count > 0 ? $"{question} {service.Name} {person[0]}" : question;
        var hits = await knowledge.SearchAsync(new KnowledgeQuery(ctx.Profile.TenantId, query, ctx.AgentPersonaId, KnowledgeResponder.HitsSearched), ct);
        var units = KnowledgeResponder.Units([.. hits.Where(h => h.Score >= KnowledgeResponder.MinimumKnowledgeScore)])
            .Where(u => !shape.AsksPrice || QuotableText.StatesPrice(u.Text))
            .ToList();
        if (units.Count == 0)
        {
            return null;
        }

        var texts = units.Select(u => u.Text).ToList();
        var toQuestion = await knowledge.RelevanceAsync(ctx.Profile.TenantId, query, texts, ct);
        IReadOnlyList<double> toVariant = variant.Count > 0 ? await knowledge.RelevanceAsync(ctx.Profile.TenantId, string.Join(' ', variant), texts, ct) : new double[texts.Count];
        foreach (var word in person)
        {
            var toPerson = await knowledge.RelevanceAsync(ctx.Profile.TenantId, word, texts, ct);
            toVariant = [.. toVariant.Zip(toPerson, Math.Max)];
        }

        var chosen = units.Select((u, i) => (Unit: u, Score: toQuestion[i], Variant: toVariant[i]))
            .Where(x => x.Score >= MinimumVariantScore && x.Variant >= MinimumVariantWordScore)
            .OrderByDescending(x => x.Variant).ThenByDescending(x => x.Score).ThenBy(x => x.Unit.Hit).ThenBy(x => x.Unit.Position)
            .Select(x => x.Unit)
            .ToList();
        return chosen.Count == 0 ? null : KnowledgeResponder.Compose(ctx, question, shape, chosen, offerMore: false).Text;
    }

    /// <summary>The service's name as the caller said it ("cleanings" for Cleaning), else the name in lower case.</summary>
    private static string SaidName(string question, ServiceInfo service)
    {
        var name = LexicalRelevance.Terms(service.Name);
        if (name.Count == 1)
        {
            var said = TextNormalizer.Normalize(question).Split(' ').FirstOrDefault(w => LexicalRelevance.Terms(w) is [var t] && t == name[0]);
            if (said is not null)
            {
                return said;
            }
        }

        return service.Name.ToLowerInvariant();
    }

    /// <summary>The keyword of the service the caller used ("balayage" for Highlights), or null when they used its name.</summary>
    private static string? MatchedKeyword(string question, ServiceInfo service)
    {
        var said = " " + TextNormalizer.Normalize(question) + " ";
        var name = LexicalRelevance.Terms(service.Name).ToHashSet(StringComparer.Ordinal);
        if (LexicalRelevance.Terms(question).Any(name.Contains))
        {
            return null;
        }

        return service.Candidate.Keywords
            .Select(k => TextNormalizer.Normalize(k))
            .Where(k => k.Length > 0 && said.Contains(" " + k + " ", StringComparison.Ordinal))
            .OrderByDescending(k => k.Length)
            .FirstOrDefault();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(?:son|sons|daughter|daughters|boy|girl|kiddo|kiddos|toddler|little one|little ones|grandson|granddaughter|grandkid|grandkids|niece|nephew|teenager|(?:[1-9]|1[0-7]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen) ?(?:year|yr)s? ?old|(?:aged|age) (?:[1-9]|1[0-7]))\b")]
    private static partial System.Text.RegularExpressions.Regex ChildMention();

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(?:husband|boyfriend|dad|father|grandpa|grandfather|brother|fiance|gentleman|gentlemen|hubby)\b")]
    private static partial System.Text.RegularExpressions.Regex ManMention();

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(?:wife|girlfriend|mom|mum|mother|grandma|grandmother|sister|fiancee|missus)\b")]
    private static partial System.Text.RegularExpressions.Regex WomanMention();

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(?:set (?:me|you|us) back|run (?:me|you|us)|ball park|go for|going rate|what is the damage|how much)\b")]
    private static partial System.Text.RegularExpressions.Regex PricePhrases();
}
