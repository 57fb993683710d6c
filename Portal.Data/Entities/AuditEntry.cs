using Portal.Data.Tenancy;

namespace Portal.Data.Entities;

/// <summary>
/// One platform-admin action (suspend a number, suspend a tenant, ...), kept so anyone can later
/// answer "who did what to which row, and when". Platform-wide (<see cref="IGlobalEntity"/>) and
/// append-only: <c>Portal.Domain.Audit.AuditLog</c> only inserts, and <see cref="Portal.Data.AuditInterceptor"/>
/// refuses to save an update or delete of an entry.
/// </summary>
public sealed class AuditEntry : IGlobalEntity
{
    /// <summary>Maximum length of <see cref="Action"/>.</summary>
    public const int ActionMaxLength = 64;

    /// <summary>Maximum length of <see cref="TargetType"/>.</summary>
    public const int TargetTypeMaxLength = 64;

    /// <summary>Maximum length of <see cref="TargetId"/>.</summary>
    public const int TargetIdMaxLength = 64;

    /// <summary>Maximum length of <see cref="ActorEmail"/>.</summary>
    public const int ActorEmailMaxLength = 256;

    /// <summary>Primary key (version 7, so ids sort by time too).</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>When the action happened (UTC).</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>The user who acted.</summary>
    public Guid ActorUserId { get; set; }

    /// <summary>The actor's email at the time (kept even if the user is later renamed or deleted).</summary>
    public string ActorEmail { get; set; } = "";

    /// <summary>Dotted action name, e.g. <c>number.suspend</c>; see <c>Portal.Domain.Audit.AuditActions</c>.</summary>
    public string Action { get; set; } = "";

    /// <summary>Kind of row acted on ("PhoneNumber", "Tenant").</summary>
    public string TargetType { get; set; } = "";

    /// <summary>Id of the row acted on.</summary>
    public string TargetId { get; set; } = "";

    /// <summary>The tenant concerned, when there is one.</summary>
    public Guid? TenantId { get; set; }

    /// <summary>Free-form details as a JSON object (before/after values), stored as <c>jsonb</c>; null when none.</summary>
    public string? Details { get; set; }
}
