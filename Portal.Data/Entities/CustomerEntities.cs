namespace Portal.Data.Entities;

/// <summary>
/// One person who contacted the business, on any channel: the calls, chats and texts from one phone number or email address
/// are one customer (<c>Portal.Domain.Customers.CustomerMatcher</c> holds the matching rule). Conversations and bookings point at it
/// through their <c>CustomerId</c>; the business keeps its own notes on it.
/// </summary>
public sealed class Customer : TenantEntity
{
    /// <summary>Maximum length of <see cref="Name"/>.</summary>
    public const int NameMaxLength = 120;

    /// <summary>Maximum length of <see cref="Email"/>.</summary>
    public const int EmailMaxLength = 254;

    /// <summary>Maximum length of <see cref="Notes"/>.</summary>
    public const int NotesMaxLength = 4000;

    /// <summary>The name the customer last gave, or null while unknown.</summary>
    public string? Name { get; set; }

    /// <summary>Phone number (E.164), unique per tenant when set.</summary>
    public string? Phone { get; set; }

    /// <summary>Email address, trimmed and lower-cased, unique per tenant when set.</summary>
    public string? Email { get; set; }

    /// <summary>The business's own notes about the customer (free text).</summary>
    public string Notes { get; set; } = "";

    /// <summary>The first contact (UTC).</summary>
    public DateTimeOffset FirstContactAt { get; set; }

    /// <summary>The latest contact or booking made (UTC).</summary>
    public DateTimeOffset LastContactAt { get; set; }
}
