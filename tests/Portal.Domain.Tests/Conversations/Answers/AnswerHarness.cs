using Microsoft.Extensions.Time.Testing;
using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Domain.Conversations.Answers;
using Portal.Domain.Conversations.Offline;
using Portal.Domain.Scheduling;

namespace Portal.Domain.Tests.Conversations.Answers;

/// <summary>One conversation with the offline engine on a given channel, for the answer tests (Monday 2026-11-23, 10:00 local).</summary>
public sealed class AnswerHarness
{
    private readonly OfflineDialogueEngine _engine;
    private readonly DialogueState _state = new();
    private readonly List<string> _transcript = [];

    /// <summary>Creates the conversation.</summary>
    public AnswerHarness(BusinessProfile profile, Channel channel, LexicalKnowledgeFake knowledge, string document)
    {
        Profile = profile;
        Channel = channel;
        Document = document;
        var clock = new FakeTimeProvider(profile.ToUtc(new DateTime(2026, 11, 23, 10, 0, 0)));
        var store = new InMemoryBookingStore(id => profile.FindService(id)?.Name ?? "appointment");
        _engine = new OfflineDialogueEngine(store, new AvailabilityService(store, clock), knowledge);
        NowLocal = new DateTime(2026, 11, 23, 10, 0, 0);
    }

    /// <summary>The business.</summary>
    public BusinessProfile Profile { get; }

    /// <summary>Voice or chat.</summary>
    public Channel Channel { get; }

    /// <summary>The uploaded document's full text.</summary>
    public string Document { get; }

    /// <summary>Business-local now.</summary>
    public DateTime NowLocal { get; }

    /// <summary>The state between turns.</summary>
    public DialogueState State => _state;

    /// <summary>Runs one turn.</summary>
    public async Task<DialogueReply> SayAsync(string utterance)
    {
        var ctx = new DialogueContext(Profile, Guid.NewGuid(), Channel, Channel == Channel.Voice ? "+13125550123" : null, NowLocal);
        var reply = await _engine.RespondAsync(ctx, _state, utterance, CancellationToken.None);
        _transcript.Add($"> {utterance}\n< {reply.Text}");
        return reply;
    }

    /// <summary>The conversation so far, for assertion messages.</summary>
    public string Dump() => string.Join("\n", _transcript);

    /// <summary>The sentences of <paramref name="reply"/> that came from the document (the offers and owner's points left out).</summary>
    public IReadOnlyList<string> DocumentSentencesIn(string reply)
    {
        var doc = QuotableText.Sentences(Document);
        return [.. doc.Where(s => reply.Contains(s.TrimEnd('.'), StringComparison.OrdinalIgnoreCase) || reply.Contains(Uncapitalized(s).TrimEnd('.'), StringComparison.Ordinal))];
    }

    /// <summary>The sentences of <paramref name="reply"/> other than the offer to say more.</summary>
    public static IReadOnlyList<string> AnswerSentences(string reply) =>
        [.. QuotableText.Sentences(reply).Where(s => s is not (AnswerComposer.VoiceMoreOffer or AnswerComposer.ChatMoreOffer))];

    private static string Uncapitalized(string s) => s.Length == 0 ? s : char.ToLowerInvariant(s[0]) + s[1..];
}
