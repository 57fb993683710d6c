namespace Portal.Domain.Conversations.Understanding;

/// <summary>
/// One bookable service of a business, as offered to <see cref="ServiceMatcher"/>: the id to book, the display
/// name and extra words callers use for it (synonyms configured by the business owner).
/// </summary>
/// <param name="Id">The service's identifier in the catalogue.</param>
/// <param name="Name">Display name, e.g. "AC Repair".</param>
/// <param name="Keywords">Synonyms or phrases, e.g. "air conditioner", "ac", "cooling". May be empty.</param>
public sealed record ServiceCandidate(Guid Id, string Name, IReadOnlyList<string> Keywords);

/// <summary>
/// A service paired with how well an utterance matched it, so the dialogue manager can confirm or disambiguate.
/// </summary>
/// <param name="Service">The matched service.</param>
/// <param name="Score">Match strength in 0..1 (1 = exact name).</param>
public sealed record ServiceMatch(ServiceCandidate Service, double Score);
