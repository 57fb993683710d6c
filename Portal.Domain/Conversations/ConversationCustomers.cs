using Portal.Data.Entities;
using Portal.Domain.Customers;

namespace Portal.Domain.Conversations;

/// <summary>
/// Who the conversation is with: linking it to a <see cref="Customer"/> as soon as a phone number or email is known
/// (<see cref="CustomerMatcher"/> holds the rule), and welcoming a returning customer back by name. A caller id or an email a
/// visitor types is a hint, not proof of identity: the agent may use the name and tell the day and time of the next
/// appointment, never other booking details.
/// Used by <see cref="ConversationService"/> when a conversation opens and after every turn.
/// </summary>
/// <param name="customers">The matcher that holds the "who is this customer" rule.</param>
public sealed class ConversationCustomers(CustomerMatcher customers)
{
    /// <summary>"Welcome back, Jamie!" for a returning customer's name on record.</summary>
    public static string WelcomeBack(string name) => $"Welcome back, {SpokenFormat.FirstName(name)}!";

    /// <summary>
    /// At the start of a call or text from a known number: links the new conversation to the number's customer
    /// (created when new) and, for a returning customer with a name on record, prefixes the greeting with a welcome.
    /// </summary>
    public async Task<string> IdentifyCallerAsync(Guid tenantId, Conversation conversation, DialogueState state, string greeting, CancellationToken ct)
    {
        if (conversation.IsTest || conversation.Channel == Channel.Test
            || await customers.MatchAsync(tenantId, conversation.CustomerPhone, null, null, ct) is not { } match)
        {
            return greeting;
        }

        conversation.CustomerId = match.CustomerId;
        state.LinkedCustomerId = match.CustomerId;
        if (!match.Returning)
        {
            return greeting;
        }

        state.Returning = new ReturningCustomer { CustomerId = match.CustomerId, Name = match.Name, Phone = match.Phone, NextBookingUtc = match.NextBookingUtc, Welcomed = match.Name is not null };
        return match.Name is { } name ? $"{WelcomeBack(name)} {greeting}" : greeting;
    }

    /// <summary>
    /// During a turn: links the conversation once a phone number or email is known (or again when a new email or name was
    /// given), and records a returning customer (one who existed before this conversation) in <paramref name="state"/>.
    /// </summary>
    public async Task IdentifyCustomerAsync(Guid tenantId, Guid conversationId, OpenTurn open, DialogueState state, bool force, CancellationToken ct)
    {
        if (open.IsTest || open.Channel == Channel.Test)
        {
            return;
        }

        var renamed = state.CustomerName is not null && state.CustomerName != open.CustomerName;
        if (state.LinkedCustomerId is not null && !force && !renamed)
        {
            return;
        }

        var before = state.LinkedCustomerId;
        var match = await customers.LinkConversationAsync(tenantId, conversationId, state.CustomerPhone ?? open.CustomerPhone, state.CustomerEmail, state.CustomerName, ct);
        if (match is null)
        {
            return;
        }

        state.LinkedCustomerId = match.CustomerId;
        if (match.Returning && match.CustomerId != before && state.Returning?.CustomerId != match.CustomerId)
        {
            state.Returning = new ReturningCustomer { CustomerId = match.CustomerId, Name = match.Name, Phone = match.Phone, NextBookingUtc = match.NextBookingUtc };
        }
    }

    /// <summary>Reads an email address out of a chat or text utterance into the state; true when it is a new one.</summary>
    public static bool NoteEmail(OpenTurn open, DialogueState state, string text)
    {
        if (open.Channel == Channel.Voice || CustomerMatcher.FindEmail(text) is not { } email || email == state.CustomerEmail)
        {
            return false;
        }

        state.CustomerEmail = email;
        return true;
    }

    /// <summary>
    /// Welcomes a customer recognised during this turn: the offline reply is prefixed ("Welcome back, Jamie! …"); the
    /// model was asked to do it by its prompt when it saw the customer before the turn.
    /// </summary>
    public static DialogueReply Welcome(DialogueReply reply, DialogueState state, List<string>? heldBack, bool promptSawIt)
    {
        if (state.Returning is not { Welcomed: false } returning)
        {
            return reply;
        }

        if (heldBack is not null && returning.Name is { } name)
        {
            returning.Welcomed = true;
            heldBack.Insert(0, $"{WelcomeBack(name)} ");
            return reply with { Text = $"{WelcomeBack(name)} {reply.Text}" };
        }

        returning.Welcomed = heldBack is null && promptSawIt;
        return reply;
    }
}
