namespace Portal.Data.Entities;

/// <summary>
/// The kinds of personal data the redactor removes from stored transcripts and summaries. Flags: a business's
/// <see cref="RedactionSettings.Categories"/> holds the set it wants removed (all by default).
/// </summary>
[Flags]
public enum PiiCategory
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Payment card numbers (13 to 19 digits that pass the Luhn check).</summary>
    Card = 1,

    /// <summary>Email addresses, written ("ann@x.com") or spoken ("ann at x dot com").</summary>
    Email = 2,

    /// <summary>Telephone numbers (NANP and international). The booking keeps the number it needs in its own column.</summary>
    Phone = 4,

    /// <summary>Bank account, routing and IBAN numbers.</summary>
    BankAccount = 8,

    /// <summary>US social-security numbers.</summary>
    Ssn = 16,

    /// <summary>Dates of birth.</summary>
    DateOfBirth = 32,

    /// <summary>Street addresses of callers.</summary>
    StreetAddress = 64,

    /// <summary>Every category.</summary>
    All = Card | Email | Phone | BankAccount | Ssn | DateOfBirth | StreetAddress,
}
