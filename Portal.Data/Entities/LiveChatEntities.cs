namespace Portal.Data.Entities;

/// <summary>
/// The website chat widget of one business: the public key the embed snippet carries (<c>data-agent</c>), the websites
/// allowed to embed it (checked against the browser's <c>Origin</c>), its colour and how long a hand-over waits for a person.
/// One per tenant.
/// </summary>
public sealed class ChatWidget : TenantEntity
{
    /// <summary>Length of <see cref="PublicKey"/> (<c>wgt_</c> + 24 base32 characters).</summary>
    public const int PublicKeyMaxLength = 32;

    /// <summary>Maximum stored length of <see cref="AllowedOrigins"/> (newline-separated origins).</summary>
    public const int AllowedOriginsMaxLength = 2000;

    /// <summary>Most allowed websites per business.</summary>
    public const int MaxAllowedOrigins = 20;

    /// <summary>Shortest and longest hand-over wait, seconds.</summary>
    public const int MinHandoverWaitSeconds = 5, MaxHandoverWaitSeconds = 900;

    /// <summary>The agent the widget talks to.</summary>
    public Guid AgentPersonaId { get; set; }

    /// <summary>Public, non-secret identifier in the snippet's <c>data-agent</c> attribute; unique across tenants.</summary>
    public string PublicKey { get; set; } = "";

    /// <summary>Allowed website origins (<c>https://www.example.com</c>, scheme + host + optional port), one per line.</summary>
    public string AllowedOrigins { get; set; } = "";

    /// <summary>The bubble and header colour, <c>#rrggbb</c>.</summary>
    public string Colour { get; set; } = "#1565c0";

    /// <summary>How long a visitor's request for a person waits for a team member to join before the agent offers a booking or a message, seconds.</summary>
    public int HandoverWaitSeconds { get; set; } = 120;

    /// <summary>The allowed origins as a list (empty lines dropped).</summary>
    public IReadOnlyList<string> AllowedOriginList =>
        AllowedOrigins.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>
/// A website visitor of one business's widget: the SHA-256 of the random token kept in the visitor's browser (never the
/// token itself) and the conversation the visitor resumes on their next page load.
/// </summary>
public sealed class WidgetVisitor : TenantEntity
{
    /// <summary>The widget.</summary>
    public Guid ChatWidgetId { get; set; }

    /// <summary>SHA-256 of the visitor token (32 bytes); unique.</summary>
    public byte[] TokenHash { get; set; } = [];

    /// <summary>The visitor's current conversation (channel web chat), or null before the first one.</summary>
    public Guid? ConversationId { get; set; }

    /// <summary>Last time the visitor connected (UTC).</summary>
    public DateTimeOffset LastSeenAt { get; set; }
}

/// <summary>A phone number that texted STOP to the business's number: no SMS goes to it until it texts START (carrier opt-out rules).</summary>
public sealed class SmsOptOut : TenantEntity
{
    /// <summary>The customer's number, E.164.</summary>
    public string PhoneNumber { get; set; } = "";

    /// <summary>When it opted out (UTC).</summary>
    public DateTimeOffset OptedOutAt { get; set; }
}

/// <summary>An inbound SMS already handled, by Twilio <c>MessageSid</c>: a retried webhook is acknowledged without a second reply.</summary>
public sealed class InboundSms : TenantEntity
{
    /// <summary>Maximum length of <see cref="MessageSid"/> (Twilio SIDs are 34 characters).</summary>
    public const int MessageSidMaxLength = 64;

    /// <summary>Twilio's id of the message (<c>SM…</c>); unique.</summary>
    public string MessageSid { get; set; } = "";

    /// <summary>The conversation it was added to, or null (a keyword such as STOP).</summary>
    public Guid? ConversationId { get; set; }
}
