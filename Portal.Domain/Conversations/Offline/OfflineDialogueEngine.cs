using Portal.Domain.Scheduling;
using Portal.Domain.Conversations.Answers;
using Portal.Domain.Conversations.Understanding;
using Portal.Domain.Entities;
using Portal.Domain.Knowledge;

namespace Portal.Domain.Conversations.Offline;

/// <summary>
/// The conversation engine that needs no language model: intent recognition, slot filling
/// (service, date and time in the business's time zone, name, callback number), availability
/// with nearest alternatives, read-back and confirmation before anything is written, cancel,
/// reschedule, messages, and answers quoted from the business's facts and knowledge base. It never
/// invents: what it does not know it offers to pass on as a message.
/// </summary>
public sealed partial class OfflineDialogueEngine(IBookingStore store, AvailabilityService availability, IKnowledgeBase knowledge)
{
    /// <summary>Minimum knowledge score for an answer to be quoted (below: "I don't know").</summary>
    public const double MinimumKnowledgeScore = 0.3;

    private const int MaxOffered = 3;

    private readonly KnowledgeResponder _answers = new(knowledge);
    private readonly ServiceResponder _services = new(knowledge);

    /// <summary>Takes one caller utterance and the state so far; mutates <paramref name="state"/> and returns the reply.</summary>
    public async Task<DialogueReply> RespondAsync(DialogueContext ctx, DialogueState state, string utterance, CancellationToken cancellationToken)
    {
        var u = Understand(ctx, state, utterance);
        state.MentionedDate = u.Temporal?.Date ?? state.MentionedDate;
        var turn = new TurnBuilder(u.Intent.Intent);
        var volunteered = false;
        if (u.Name is not null && (state.Pending == PendingQuestion.Name || state.CustomerName is null || LooksLikeNameCorrection(utterance)))
        {
            volunteered = state.Pending != PendingQuestion.Name && state.CustomerName is null;
            state.CustomerName = u.Name;
        }

        if (u.Phone is not null)
        {
            state.CustomerPhone = u.Phone;
        }

        // The rest of the last answer, when the caller takes the offer to hear more ("yes", "tell me more").
        var more = state.MoreToSay;
        state.MoreToSay = null;
        if (more is not null && state.Flow == DialogueFlow.None && state.Pending == PendingQuestion.None
            && (u.Intent.Intent == Intent.Affirm || FollowUp.AsksForMore(utterance)))
        {
            turn.Say(more);
            turn.Answered();
            return turn.Build();
        }

        await DecideAsync(ctx, state, u, turn, cancellationToken);
        if (volunteered && state.CustomerName is { } name && !turn.Mentions(FirstName(state)) && !state.Ended)
        {
            turn.Prepend($"Thanks, {FirstName(state)}."); // a name given unasked is acknowledged, so the caller knows it was heard
        }

        state.MoreToSay = state.Flow == DialogueFlow.None ? turn.More : null;
        if (turn.Understood)
        {
            state.NotUnderstoodCount = 0;
        }

        return turn.Build();
    }

    private async Task DecideAsync(DialogueContext ctx, DialogueState state, Understood u, TurnBuilder turn, CancellationToken ct)
    {
        if (await TryBookingStatusAsync(ctx, state, u, turn, ct) || await TryShiftAsync(ctx, state, u, turn, ct) || await TryKeepThreadAsync(ctx, state, u, turn, ct))
        {
            return;
        }

        if (await AnswerPendingAsync(ctx, state, u, turn, ct))
        {
            return;
        }

        switch (u.Intent.Intent)
        {
            case Intent.Human:
                Transfer(ctx, state, turn);
                return;
            case Intent.Goodbye:
                if (HoldsUnfinishedBooking(state))
                {
                    await HoldGoodbyeAsync(ctx, state, u, turn, ct);
                    return;
                }

                Goodbye(ctx, state, turn);
                return;
            case Intent.Cancel:
                StartTask(state, DialogueFlow.Cancel, u, ctx);
                await ContinueTaskAsync(ctx, state, u, turn, ct);
                return;
            case Intent.Reschedule:
                StartTask(state, DialogueFlow.Reschedule, u, ctx);
                await ContinueTaskAsync(ctx, state, u, turn, ct);
                return;
            case Intent.Message:
                StartTask(state, DialogueFlow.Message, u, ctx);
                await ContinueTaskAsync(ctx, state, u, turn, ct);
                return;
            case Intent.Book:
                if (state.Flow is not (DialogueFlow.Book or DialogueFlow.Reschedule))
                {
                    StartTask(state, DialogueFlow.Book, u, ctx);
                }

                ApplySlots(ctx, state, u);
                await ContinueTaskAsync(ctx, state, u, turn, ct);
                return;
        }

        if (state.Flow is DialogueFlow.Book or DialogueFlow.Reschedule && (u.HasSlotInfo || u.Name is not null || u.Phone is not null)
            && (u.Intent.Intent is not (Intent.Hours or Intent.Location or Intent.Services) || IsTimeBeforeAside(state, u)))
        {
            ApplySlots(ctx, state, u);
            await ContinueTaskAsync(ctx, state, u, turn, ct);
            return;
        }

        if (state.Flow is DialogueFlow.Cancel or DialogueFlow.Message && (u.Name is not null || u.Phone is not null)
            && u.Intent.Intent is not (Intent.Hours or Intent.Location or Intent.Services or Intent.Question))
        {
            await ContinueTaskAsync(ctx, state, u, turn, ct); // the number or name the agent asked for
            return;
        }

        // "Color on Saturday at 10 please", "whitening please", "any openings for a pedicure Friday?": a service (with a day,
        // or said as a request) is a booking request even without a booking verb.
        if (state.Flow == DialogueFlow.None && u.Service is not null
            && (u.Temporal is not null || u.Intent.Intent == Intent.None && !DialogueCues.IsQuestion(u.Raw))
            && u.Intent.Intent is not (Intent.Hours or Intent.Location or Intent.Services)
            && !(u.Temporal is null && QuestionShape.Of(u.Raw) is { AsksWhetherOffered: true } or { AsksPrice: true }))
        {
            if ((u.Intent.Intent == Intent.Question || u.Temporal is null) && await TryKnowledgeAsync(ctx, state, u.Raw, turn, ct))
            {
                return; // "balayage?" answered from knowledge: not a booking, and nothing more to say
            }

            turn.Reads(Intent.Book);
            StartTask(state, DialogueFlow.Book, u, ctx);
            ApplySlots(ctx, state, u);
            await ContinueTaskAsync(ctx, state, u, turn, ct);
            return;
        }

        await AnswerAsync(ctx, state, u, turn, ct);
    }

    /// <summary>Answers facts and questions; inside a task, re-asks the pending question afterwards.</summary>
    private async Task AnswerAsync(DialogueContext ctx, DialogueState state, Understood u, TurnBuilder turn, CancellationToken ct)
    {
        var profile = ctx.Profile;
        // "highlights, ballpark?", "what would a trim run me", "you guys do foils?": a question about a named service.
        var shape = QuestionShape.Of(u.Raw);
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
                    AddStaffNote(state, $"Question: {u.Raw.Trim()}");
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
            await ContinueTaskAsync(ctx, state, u, turn, reprompt: true, ct);
        }
    }

    private async Task<bool> TryKnowledgeAsync(DialogueContext ctx, DialogueState state, string query, TurnBuilder turn, CancellationToken ct) =>
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

    private static void Transfer(DialogueContext ctx, DialogueState state, TurnBuilder turn)
    {
        if (ctx.Profile.TransferNumber is { } number)
        {
            turn.Say("Of course. Let me connect you with someone now. Please hold.");
            turn.Act(new AgentAction(AgentActionKind.TransferRequested, Detail: number), ConversationOutcome.Transferred);
            state.Ended = ctx.Channel == Channel.Voice;
            return;
        }

        state.ResetTask();
        state.Flow = DialogueFlow.Message;
        turn.Say("I'm sorry, nobody is available to take the call right now, but I can take a message and have someone call you back.");
        AskMessageNext(state, turn);
    }

    private static void Goodbye(DialogueContext ctx, DialogueState state, TurnBuilder turn)
    {
        var name = state.CustomerName is { } n ? $", {n.Split(' ')[0]}" : "";
        turn.Say($"Thanks for contacting {ctx.Profile.Name}{name}. Have a great day. Goodbye!");
        turn.Act(new AgentAction(AgentActionKind.ConversationEnded), null);
        state.ResetTask();
        state.Ended = true;
    }

    private static void StartTask(DialogueState state, DialogueFlow flow, Understood u, DialogueContext ctx)
    {
        if (state.Flow == flow)
        {
            return;
        }

        state.ResetTask();
        state.Flow = flow;
        if (flow is DialogueFlow.Book)
        {
            ApplySlots(ctx, state, u);
        }
    }

    /// <summary>True for "what services do you offer", "what are your prices": nothing named beyond services and prices in general.</summary>
    private static bool IsGenericServicesQuestion(string utterance) =>
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

    private static bool LooksLikeNameCorrection(string utterance) =>
        utterance.Contains("name is", StringComparison.OrdinalIgnoreCase) || utterance.Contains("name's", StringComparison.OrdinalIgnoreCase);

    /// <summary>Collects the reply text, actions and outcome of one turn.</summary>
    private sealed class TurnBuilder(Intent intent)
    {
        private Intent _intent = intent;

        private readonly List<string> _parts = [];
        private readonly List<AgentAction> _actions = [];
        private ConversationOutcome? _outcome;

        public bool Understood { get; private set; } = true;

        /// <summary>The rest of a knowledge answer, offered to the caller.</summary>
        public string? More { get; set; }

        /// <summary>True when this turn answered a question.</summary>
        public bool IsAnswer => _outcome == ConversationOutcome.Answered;

        /// <summary>The reply so far.</summary>
        public string Text => string.Join(" ", _parts);

        public void Say(string text) => _parts.Add(text);

        /// <summary>Adds <paramref name="text"/> before the reply's closing question ("Would you like to book one?"), else at the end.</summary>
        public void SayBeforeQuestion(string text)
        {
            var last = _parts.Count > 0 ? _parts[^1] : "";
            var cut = last.EndsWith('?') ? last.LastIndexOfAny(['.', '!', '?'], last.Length - 2) : -1;
            if (cut < 0)
            {
                _parts.Add(text);
                return;
            }

            _parts[^1] = $"{last[..(cut + 1)]} {text} {last[(cut + 1)..].TrimStart()}";
        }

        public void Prepend(string text) => _parts.Insert(0, text);

        public bool Mentions(string text) => _parts.Any(p => p.Contains(text, StringComparison.Ordinal));

        public void Act(AgentAction action, ConversationOutcome? outcome)
        {
            _actions.Add(action);
            _outcome = outcome ?? _outcome;
        }

        public void Answered() => _outcome ??= ConversationOutcome.Answered;

        public void NotUnderstood() => Understood = false;

        /// <summary>Reports the turn as <paramref name="read"/> (the intent the dialogue acted on, e.g. a service and a day read as a booking).</summary>
        public void Reads(Intent read) => _intent = read;

        public DialogueReply Build() => new(string.Join(" ", _parts), _intent, _actions, _outcome);
    }
}
