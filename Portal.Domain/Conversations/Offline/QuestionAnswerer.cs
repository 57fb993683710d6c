using Portal.Domain.Conversations.Answers;
using Portal.Domain.Conversations.Understanding;
using Portal.Domain.Knowledge;

namespace Portal.Domain.Conversations.Offline;

/// <summary>
/// Answers the caller's questions and small talk: hours, address, services and prices, the owner's FAQs and rules, and the
/// knowledge base (quoted sentences, never invented); inside a task it answers and then re-asks the pending question.
/// What it cannot answer becomes a knowledge gap and an offer to take a message (once).
/// </summary>
/// <param name="knowledge">The tenant's knowledge base.</param>
/// <param name="tasks">The task in progress, continued after an answer.</param>
internal sealed class QuestionAnswerer(IKnowledgeBase knowledge, DialogueTasks tasks)
{
    private readonly KnowledgeResponder _answers = new(knowledge);
    private readonly ServiceResponder _services = new(knowledge);

    /// <summary>Answers facts and questions; inside a task, re-asks the pending question afterwards.</summary>
    public async Task AnswerAsync(DialogueContext ctx, DialogueState state, Understood u, TurnBuilder turn, CancellationToken ct)
    {
        var profile = ctx.Profile;
        // "highlights, ballpark?", "what would a trim run me", "you guys do foils?": a question about a named service.
        var shape = u.Shape;
        var intent = u.Intent.Intent is Intent.None or Intent.Question && u.Service is not null && (shape.AsksPrice || shape.AsksWhetherOffered) ? Intent.Services : u.Intent.Intent;
        switch (intent)
        {
            case Intent.Greeting:
                turn.Say(state.Flow == DialogueFlow.None ? "Hello! How can I help you today?" : "Hello!");
                break;
            case Intent.Thanks:
                turn.Say(state.Flow == DialogueFlow.None ? "You're welcome! Is there anything else I can help with?" : "You're welcome!");
                if (state.Flow == DialogueFlow.None)
                {
                    state.Pending = PendingQuestion.AnythingElse;
                }

                break;
            case Intent.Hours or Intent.Location when await TryOwnerAnswerAsync(ctx, state, u.Raw, turn, ct):
                break; // an FAQ or rule the owner wrote about it ("where do I park?")
            case Intent.Hours:
                turn.Say(FactsResponder.Hours(profile, u.Temporal, ctx.NowLocal));
                turn.Answered();
                break;
            case Intent.Location:
                turn.Say(FactsResponder.Location(profile));
                turn.Answered();
                break;
            case Intent.Services:
                var service = u.Service is { } m ? profile.FindService(m.Service.Id) : null;
                var generic = service is null && IsGenericServicesQuestion(u.Raw);
                if (service is null && !generic && await TryKnowledgeAsync(ctx, state, u.Raw, turn, ct))
                {
                    break;
                }

                if (service is null && !generic && state.Flow is DialogueFlow.Book or DialogueFlow.Reschedule)
                {
                    // In a booking: say so once, note the question for the team, and carry on with the booking.
                    await knowledge.RecordGapAsync(profile.TenantId, u.Raw, ctx.ConversationId, ct);
                    StaffNotes.Add(state, $"Question: {u.Raw.Trim()}");
                    turn.Say("I'm not sure we offer that, but I'll add your question to your booking notes so the team can answer it.");
                    break;
                }

                if (service is null && !generic)
                {
                    // "Do you do braces?": not a service on file and not in the knowledge base. Never guess yes or no.
                    await knowledge.RecordGapAsync(profile.TenantId, u.Raw, ctx.ConversationId, ct);
                    turn.Say($"I'm sorry, I don't know if we offer that. {FactsResponder.Services(profile, null, offerBooking: false)} May I take a message so someone can get back to you?");
                    state.Pending = PendingQuestion.OfferMessage;
                    return;
                }

                turn.Say(service is null
                    ? FactsResponder.Services(profile, null, offerBooking: state.Flow == DialogueFlow.None)
                    : await _services.AnswerAsync(ctx, u.Raw, service, offerBooking: state.Flow == DialogueFlow.None, ct));
                turn.Answered();
                break;
            case Intent.Affirm when state.Flow == DialogueFlow.None:
                turn.Say("Great. What can I help you with?");
                break;
            case Intent.Deny when state.Flow == DialogueFlow.None:
                turn.Say("No problem. Is there anything else I can help you with?");
                state.Pending = PendingQuestion.AnythingElse;
                break;
            default:
                if (state.Flow != DialogueFlow.None && u.Intent.Intent is Intent.Affirm or Intent.Deny)
                {
                    // A bare "yes" or "no" that answers nothing asked: re-ask, keep the task.
                    state.NotUnderstoodCount++;
                    turn.NotUnderstood();
                    turn.Say("Sorry, I didn't quite catch that.");
                    break;
                }

                if (!await TryKnowledgeAsync(ctx, state, u.Raw, turn, ct))
                {
                    state.NotUnderstoodCount++;
                    if (u.Intent.Intent == Intent.Question)
                    {
                        await knowledge.RecordGapAsync(ctx.Profile.TenantId, u.Raw, ctx.ConversationId, ct); // an unanswered question is a knowledge gap
                    }

                    turn.NotUnderstood();
                    if (state.Flow != DialogueFlow.None && u.Intent.Intent is Intent.None)
                    {
                        turn.Say("Sorry, I didn't quite catch that.");
                    }
                    else if (state.Flow != DialogueFlow.None)
                    {
                        turn.Say("I'm sorry, I don't know that, but I can pass it on once we're done."); // keep the task going
                    }
                    else if (state.Pending == PendingQuestion.OfferMessage)
                    {
                        // A message was just offered: say so once more without asking again, and leave the way open.
                        turn.Say("I'm sorry, I don't know that either. I can book an appointment for you or pass a question on to the team. What would you like to do?");
                        state.Pending = PendingQuestion.None;
                        return;
                    }
                    else
                    {
                        turn.Say("I'm sorry, I don't know that. May I take a message so someone can get back to you?");
                        state.Pending = PendingQuestion.OfferMessage;
                        return;
                    }
                }

                break;
        }

        if (turn.IsAnswer && KnowledgeResponder.MentionOnce(profile, state, turn.Text) is { } mention)
        {
            turn.SayBeforeQuestion(mention); // the owner's "always mention…"
        }

        if (state.Flow != DialogueFlow.None)
        {
            await tasks.ContinueAsync(ctx, state, turn, reprompt: true, ct);
        }
    }

    /// <summary>Quotes the sentences of the business's knowledge that answer <paramref name="query"/>; true when something was said.</summary>
    public async Task<bool> TryKnowledgeAsync(DialogueContext ctx, DialogueState state, string query, TurnBuilder turn, CancellationToken ct) =>
        Say(turn, await _answers.AnswerAsync(ctx, query, offerMore: state.Flow == DialogueFlow.None, ct));

    private async Task<bool> TryOwnerAnswerAsync(DialogueContext ctx, DialogueState state, string query, TurnBuilder turn, CancellationToken ct) =>
        Say(turn, await _answers.BeforeFactsAsync(ctx, query, offerMore: state.Flow == DialogueFlow.None, ct));

    private static bool Say(TurnBuilder turn, ComposedAnswer? answer)
    {
        if (answer is null)
        {
            return false;
        }

        turn.Say(answer.Text);
        turn.More = answer.More;
        turn.Answered();
        return true;
    }

    /// <summary>True for "what services do you offer", "what are your prices": nothing named beyond services and prices in general.</summary>
    public static bool IsGenericServicesQuestion(string utterance) =>
        TextNormalizer.Normalize(utterance)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .All(GenericServiceWords.Contains);

    private static readonly HashSet<string> GenericServiceWords = new(StringComparer.Ordinal)
    {
        "what", "whats", "which", "kind", "kinds", "sort", "sorts", "type", "types", "of", "service", "services", "treatment", "treatments",
        "do", "does", "you", "u", "your", "ur", "guys", "yall", "offer", "provide", "have", "got", "price", "prices", "pricing", "list",
        "cost", "costs", "charge", "fee", "fees", "rate", "rates", "how", "much", "is", "are", "the", "a", "an", "tell", "me", "about",
        "can", "could", "i", "get", "please", "um", "uh", "hi", "hey", "so", "and", "there", "here", "all", "menu", "was", "wondering", "would", "like", "to", "know", "for", "it", "any", "else",
    };
}
