using System.Security.Cryptography;
using System.Text;
using Portal.Domain.Conversations;

namespace Portal.Voice.SpeechToText.LanguageModels;

/// <summary>
/// What one business's callers are likely to say that general English does not predict: the business's name, its
/// services (names and the caller phrasings configured as keywords) and the names of its people. An offline recognizer
/// builds a language model from it (<see cref="ReceptionistCorpus"/>), so "book a cleaning tomorrow at ten" is what it
/// expects to hear on that business's line.
/// </summary>
/// <param name="BusinessName">The business's name, e.g. "Bright Smile Dental".</param>
/// <param name="Services">Service names and caller phrasings ("Teeth Cleaning", "teeth cleaned"); may be empty.</param>
/// <param name="People">Names of staff or the agent ("Dr. Patel", "Maria"); may be empty.</param>
public sealed record SpeechVocabulary(string BusinessName, IReadOnlyList<string> Services, IReadOnlyList<string> People)
{
    /// <summary>
    /// Stable key of the vocabulary's content (hex SHA-256 of its normalized phrases, order-insensitive), used to cache
    /// the built language model per business profile: equal vocabularies share one model file.
    /// </summary>
    public string Key
    {
        get
        {
            var text = new StringBuilder(Normalize(BusinessName)).Append('\n');
            foreach (var s in Services.Select(Normalize).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                text.Append("s:").Append(s).Append('\n');
            }

            foreach (var p in People.Select(Normalize).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                text.Append("p:").Append(p).Append('\n');
            }

            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..24];
        }
    }

    /// <summary>
    /// The vocabulary of a business profile: its name, each active service's name and keywords, and the agent's name.
    /// </summary>
    /// <param name="profile">The tenant's snapshot (<see cref="BusinessProfileCache"/>).</param>
    /// <returns>The vocabulary.</returns>
    public static SpeechVocabulary FromProfile(BusinessProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var services = profile.Services.SelectMany(s => s.Candidate.Keywords.Prepend(s.Name)).ToList();
        var people = string.IsNullOrWhiteSpace(profile.AgentName) || profile.AgentName == "the assistant" ? [] : new[] { profile.AgentName };
        return new SpeechVocabulary(profile.Name, services, people);
    }

    private static string Normalize(string text) => string.Join(' ', text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
