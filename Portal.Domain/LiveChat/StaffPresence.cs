using System.Collections.Concurrent;

namespace Portal.Domain.LiveChat;

/// <summary>
/// Who of a business's team is looking at which conversation in the Inbox right now, and which conversations are held by a
/// person (the agent is silent). In-process: one instance per app.
/// </summary>
/// <remarks>REVIEW: held in memory, so with several web servers the viewer list is per server and the takeover flag is
/// re-read from the database on every customer message (the guarantee that the agent stays silent holds across servers).</remarks>
public sealed class StaffPresence
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<string, string>> _viewers = new();
    private readonly ConcurrentDictionary<Guid, string> _takenOver = new();

    /// <summary>Records that <paramref name="viewerKey"/> (one Inbox tab) is viewing <paramref name="conversationId"/> as <paramref name="name"/>.</summary>
    public IReadOnlyList<string> StartViewing(Guid conversationId, string viewerKey, string name)
    {
        var set = _viewers.GetOrAdd(conversationId, _ => new ConcurrentDictionary<string, string>(StringComparer.Ordinal));
        set[viewerKey] = name;
        return Viewers(conversationId);
    }

    /// <summary>Records that <paramref name="viewerKey"/> stopped viewing <paramref name="conversationId"/>.</summary>
    public IReadOnlyList<string> StopViewing(Guid conversationId, string viewerKey)
    {
        if (_viewers.TryGetValue(conversationId, out var set))
        {
            set.TryRemove(viewerKey, out _);
        }

        return Viewers(conversationId);
    }

    /// <summary>Distinct names viewing <paramref name="conversationId"/>, sorted.</summary>
    public IReadOnlyList<string> Viewers(Guid conversationId) =>
        _viewers.TryGetValue(conversationId, out var set) ? set.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() : [];

    /// <summary>Marks the conversation as held by <paramref name="name"/> (the agent must stop streaming at once).</summary>
    public void MarkTakenOver(Guid conversationId, string name) => _takenOver[conversationId] = name;

    /// <summary>Clears the mark.</summary>
    public void MarkHandedBack(Guid conversationId) => _takenOver.TryRemove(conversationId, out _);

    /// <summary>True while a person holds the conversation (as known to this process).</summary>
    public bool IsTakenOver(Guid conversationId) => _takenOver.ContainsKey(conversationId);
}
