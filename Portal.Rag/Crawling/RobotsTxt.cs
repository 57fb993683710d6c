using System.Text;
using System.Text.RegularExpressions;

namespace Portal.Rag.Crawling;

/// <summary>
/// The rules of one site's robots.txt for one crawler, per RFC 9309 (Robots Exclusion Protocol,
/// https://www.rfc-editor.org/rfc/rfc9309): the groups naming the crawler's product token
/// (case-insensitive) apply, else the "*" groups, else everything is allowed; among matching
/// allow/disallow rules the longest pattern wins and an allow wins a tie (§2.2.2); "*" matches any
/// characters and a final "$" anchors the end (§2.2.3); "/robots.txt" itself is always allowed.
/// </summary>
public sealed class RobotsTxt
{
    private readonly List<Rule> _rules;

    private RobotsTxt(List<Rule> rules) => _rules = rules;

    /// <summary>No rules: every path allowed (robots.txt missing: 4xx, §2.3.1.3).</summary>
    public static RobotsTxt AllowAll { get; } = new([]);

    /// <summary>Everything disallowed (robots.txt unreachable: 5xx or network error, §2.3.1.4).</summary>
    public static RobotsTxt DisallowAll { get; } = new([new Rule(false, "/", Compile("/"))]);

    /// <summary>Number of rules that apply to the crawler.</summary>
    public int RuleCount => _rules.Count;

    /// <summary>Parses robots.txt <paramref name="content"/> for the crawler named <paramref name="productToken"/> ("PortalBot").</summary>
    public static RobotsTxt Parse(string content, string productToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var groups = new List<(List<string> Agents, List<Rule> Rules)>();
        (List<string> Agents, List<Rule> Rules)? current = null;
        var lastWasAgent = false;
        foreach (var rawLine in content.Split('\n'))
        {
            var line = rawLine;
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
            {
                line = line[..hash];
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var key = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "user-agent":
                    if (current is null || !lastWasAgent)
                    {
                        current = ([], []);
                        groups.Add(current.Value);
                    }

                    current.Value.Agents.Add(value);
                    lastWasAgent = true;
                    break;
                case "allow" or "disallow":
                    lastWasAgent = false;
                    if (current is null || value.Length == 0)
                    {
                        // Rules before any user-agent line belong to no group; an empty pattern matches nothing.
                        break;
                    }

                    current.Value.Rules.Add(new Rule(key == "allow", value, Compile(value)));
                    break;
                default:
                    // Other records (sitemap, crawl-delay) end nothing and are ignored (§2.2.4).
                    break;
            }
        }

        var token = productToken.Trim();
        var mine = groups.Where(g => g.Agents.Any(a => string.Equals(AgentToken(a), token, StringComparison.OrdinalIgnoreCase))).ToList();
        if (mine.Count == 0)
        {
            mine = [.. groups.Where(g => g.Agents.Any(a => a == "*"))];
        }

        return new RobotsTxt([.. mine.SelectMany(g => g.Rules)]);
    }

    /// <summary>True when the crawler may fetch <paramref name="pathAndQuery"/> ("/private/page?x=1", as sent on the wire).</summary>
    public bool IsAllowed(string pathAndQuery)
    {
        if (string.Equals(pathAndQuery, "/robots.txt", StringComparison.Ordinal))
        {
            return true;
        }

        Rule? best = null;
        foreach (var rule in _rules)
        {
            if (!rule.Matcher.IsMatch(pathAndQuery))
            {
                continue;
            }

            if (best is null || rule.Pattern.Length > best.Pattern.Length || (rule.Pattern.Length == best.Pattern.Length && rule.Allow))
            {
                best = rule;
            }
        }

        return best?.Allow ?? true;
    }

    private static string AgentToken(string agent)
    {
        var slash = agent.IndexOf('/', StringComparison.Ordinal);
        return (slash >= 0 ? agent[..slash] : agent).Trim();
    }

    private static Regex Compile(string pattern)
    {
        var anchored = pattern.EndsWith('$');
        var body = anchored ? pattern[..^1] : pattern;
        var sb = new StringBuilder("^");
        foreach (var part in body.Split('*'))
        {
            if (sb.Length > 1)
            {
                sb.Append(".*");
            }

            sb.Append(Regex.Escape(part));
        }

        if (anchored)
        {
            sb.Append('$');
        }

        // A site's robots.txt is untrusted: "*a*a*a*…" rules would backtrack polynomially. The non-backtracking engine is
        // linear in the path by construction, so no wall-clock timeout (which fails good rules on a busy machine).
        return new Regex(sb.ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline | RegexOptions.NonBacktracking);
    }

    private sealed record Rule(bool Allow, string Pattern, Regex Matcher);
}
