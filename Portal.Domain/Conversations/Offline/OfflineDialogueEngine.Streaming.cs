using System.Runtime.CompilerServices;

namespace Portal.Domain.Conversations.Offline;

public sealed partial class OfflineDialogueEngine : IDialogueEngine
{
    /// <summary>The whole reply as one delta (the offline engine decides in one step), then the reply.</summary>
    public async IAsyncEnumerable<DialogueStreamItem> StreamAsync(DialogueContext context, DialogueState state, string utterance, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reply = await RespondAsync(context, state, utterance, cancellationToken);
        yield return new DialogueStreamItem(reply.Text, null, null);
        yield return new DialogueStreamItem(null, reply, null);
    }
}
