using Portal.Data.Entities;

namespace Portal.Domain.Customers;

/// <summary>One customer in the list.</summary>
/// <param name="Id">Customer id.</param>
/// <param name="Name">Name on record, or null.</param>
/// <param name="Phone">Phone (E.164), or null.</param>
/// <param name="Email">Email, or null.</param>
/// <param name="LastContactAt">Latest contact (UTC).</param>
/// <param name="Calls">Phone calls.</param>
/// <param name="Chats">Website chats.</param>
/// <param name="Texts">Text (SMS) conversations.</param>
/// <param name="Bookings">Bookings (any status).</param>
/// <param name="LeadScore">Lead score of the latest analysed conversation, or null.</param>
public sealed record CustomerRow(Guid Id, string? Name, string? Phone, string? Email, DateTimeOffset LastContactAt, int Calls, int Chats, int Texts, int Bookings, int? LeadScore);

/// <summary>One page of customers.</summary>
/// <param name="Rows">The customers, latest contact first.</param>
/// <param name="Total">How many match the search.</param>
public sealed record CustomerPage(IReadOnlyList<CustomerRow> Rows, int Total);

/// <summary>What a timeline entry is.</summary>
public enum TimelineKind
{
    /// <summary>A phone call.</summary>
    Call,

    /// <summary>A website chat.</summary>
    Chat,

    /// <summary>A text (SMS) conversation.</summary>
    Text,

    /// <summary>A booking.</summary>
    Booking,

    /// <summary>A message taken for the business.</summary>
    Message,
}

/// <summary>One event in a customer's history.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="At">When (UTC): the conversation's start, the booking's start, the message's time.</param>
/// <param name="Title">A short headline ("Call · Booked", "Cleaning").</param>
/// <param name="Summary">The insight job's summary of a conversation, the message text, or the booking's state; null when none.</param>
/// <param name="LeadScore">The conversation's lead score, or null.</param>
/// <param name="Link">Where to see more (the conversation page, the bookings day), or null.</param>
public sealed record TimelineEntry(TimelineKind Kind, DateTimeOffset At, string Title, string? Summary, int? LeadScore, string? Link);

/// <summary>A customer with their whole history.</summary>
/// <param name="Id">Customer id.</param>
/// <param name="Name">Name on record, or null.</param>
/// <param name="Phone">Phone (E.164), or null.</param>
/// <param name="Email">Email, or null.</param>
/// <param name="Notes">The business's notes.</param>
/// <param name="FirstContactAt">First contact (UTC).</param>
/// <param name="LastContactAt">Latest contact (UTC).</param>
/// <param name="LeadScore">Lead score of the latest analysed conversation, or null.</param>
/// <param name="LeadReasons">Why that score.</param>
/// <param name="NextBooking">The next confirmed booking, or null.</param>
/// <param name="Timeline">Calls, chats, texts, bookings and messages, newest first.</param>
public sealed record CustomerDetail(Guid Id, string? Name, string? Phone, string? Email, string Notes, DateTimeOffset FirstContactAt, DateTimeOffset LastContactAt,
    int? LeadScore, IReadOnlyList<string> LeadReasons, TimelineEntry? NextBooking, IReadOnlyList<TimelineEntry> Timeline);

/// <summary>Display words for customers.</summary>
public static class CustomerDisplay
{
    /// <summary>The name, else "Unknown caller".</summary>
    public static string Name(string? name) => string.IsNullOrWhiteSpace(name) ? "Unknown caller" : name;

    /// <summary>The timeline kind of a conversation channel.</summary>
    public static TimelineKind Kind(Channel channel) => channel switch
    {
        Channel.Voice => TimelineKind.Call,
        Channel.Sms => TimelineKind.Text,
        _ => TimelineKind.Chat,
    };
}
