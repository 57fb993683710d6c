namespace Portal.Data.Entities;

/// <summary>The business verticals Portal has templates for (see <c>Portal.Domain.Onboarding.VerticalTemplates</c>).</summary>
public enum Industry
{
    /// <summary>Dental.</summary>
    Dental,
    /// <summary>Salon.</summary>
    Salon,
    /// <summary>Hvac.</summary>
    Hvac,
    /// <summary>Auto repair.</summary>
    AutoRepair,
    /// <summary>Medical.</summary>
    Medical,
    /// <summary>Legal.</summary>
    Legal,
    /// <summary>Real estate.</summary>
    RealEstate,
    /// <summary>Other.</summary>
    Other,
}

/// <summary>Lifecycle of a tenant.</summary>
public enum TenantStatus
{
    /// <summary>Onboarding.</summary>
    Onboarding,
    /// <summary>Active.</summary>
    Active,
    /// <summary>Suspended.</summary>
    Suspended,
}

/// <summary>How the agent talks.</summary>
public enum Personality
{
    /// <summary>Friendly.</summary>
    Friendly,
    /// <summary>Professional.</summary>
    Professional,
    /// <summary>Casual.</summary>
    Casual,
}

/// <summary>Pool status of a phone number in the platform's pool: available → reserved → assigned → suspended / released.</summary>
public enum PhoneNumberStatus
{
    /// <summary>Available.</summary>
    Available,
    /// <summary>Reserved.</summary>
    Reserved,
    /// <summary>Assigned.</summary>
    Assigned,
    /// <summary>Suspended.</summary>
    Suspended,
    /// <summary>Released.</summary>
    Released,
}

/// <summary>Where a conversation happens.</summary>
public enum Channel
{
    /// <summary>Voice.</summary>
    Voice,
    /// <summary>Web chat.</summary>
    WebChat,
    /// <summary>The owner's chat console in the portal (always <see cref="Conversation.IsTest"/>).</summary>
    Test,
    /// <summary>Text messages (SMS) to the business's number.</summary>
    Sms,
}

/// <summary>How a conversation ended (or that it has not).</summary>
public enum ConversationOutcome
{
    /// <summary>In progress.</summary>
    InProgress,
    /// <summary>Booked.</summary>
    Booked,
    /// <summary>Rescheduled.</summary>
    Rescheduled,
    /// <summary>Cancelled.</summary>
    Cancelled,
    /// <summary>Message taken.</summary>
    MessageTaken,
    /// <summary>Transferred.</summary>
    Transferred,
    /// <summary>Answered.</summary>
    Answered,
    /// <summary>Abandoned.</summary>
    Abandoned,
    /// <summary>The call broke off without an end (the process crashed or the stream vanished); closed by the orphaned-calls job with its turns intact.</summary>
    Failed,
}

/// <summary>Who said a turn.</summary>
public enum Speaker
{
    /// <summary>Customer.</summary>
    Customer,
    /// <summary>Agent.</summary>
    Agent,
    /// <summary>A member of the business's team writing in a chat or SMS thread they took over.</summary>
    Staff,
}

/// <summary>State of a booking.</summary>
public enum BookingStatus
{
    /// <summary>Confirmed.</summary>
    Confirmed,
    /// <summary>Cancelled.</summary>
    Cancelled,
}

/// <summary>Kind of a knowledge document (its source).</summary>
public enum KnowledgeKind
{
    /// <summary>A question and answer typed by the owner (one chunk).</summary>
    Faq,
    /// <summary>An uploaded file (text, Markdown, PDF, Word, spreadsheet).</summary>
    File,
    /// <summary>A website address, crawled.</summary>
    Url,
}

/// <summary>Processing state of a knowledge document.</summary>
public enum KnowledgeStatus
{
    /// <summary>Queued.</summary>
    Queued,
    /// <summary>Processing.</summary>
    Processing,
    /// <summary>Ready.</summary>
    Ready,
    /// <summary>Failed.</summary>
    Failed,
}

/// <summary>State of a message left for the business.</summary>
public enum MessageStatus
{
    /// <summary>New.</summary>
    New,
    /// <summary>Handled.</summary>
    Handled,
}
