using System.Net.Mail;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Audit;
using Portal.Domain.Numbers;

namespace Portal.Domain.Agencies;

/// <summary>An agency's editable brand and client templates (everything but the images).</summary>
/// <param name="Name">Brand name.</param>
/// <param name="PrimaryColor"><c>#RRGGBB</c>.</param>
/// <param name="SecondaryColor"><c>#RRGGBB</c>.</param>
/// <param name="SupportEmail">Support email or null.</param>
/// <param name="SupportPhone">Support phone (any form a person types; stored E.164) or null.</param>
/// <param name="EmailSenderName">From name of emails or null.</param>
/// <param name="SmsSender">Alphanumeric SMS sender id or null.</param>
/// <param name="LegalFooter">Legal footer or null.</param>
/// <param name="TemplateGreeting">Greeting new clients start from or null.</param>
/// <param name="TemplateInstructions">Instructions new clients start from or null.</param>
/// <param name="TemplateVoiceId">Voice new clients start with or null.</param>
/// <param name="SharedKnowledge">FAQs shared with new clients, <c>question | answer</c> a line, or null.</param>
public sealed record AgencyBrandSettings(string Name, string PrimaryColor, string SecondaryColor, string? SupportEmail, string? SupportPhone,
    string? EmailSenderName, string? SmsSender, string? LegalFooter, string? TemplateGreeting, string? TemplateInstructions, string? TemplateVoiceId, string? SharedKnowledge);

/// <summary>Which brand image.</summary>
public enum BrandImageKind
{
    /// <summary>Shown in the app bar and on the sign-in page.</summary>
    Logo,

    /// <summary>The browser tab's icon.</summary>
    Favicon,
}

/// <summary>
/// The agency's own settings: brand (validated: colours, email, E.164 phone, SMS sender id, lengths), logo and favicon
/// (<see cref="BrandAssets"/>) and client templates (its team: <see cref="AgencyTeam"/>). Brand changes are owner-only and audited.
/// </summary>
public sealed partial class AgencySettings(IDbContextFactory<PortalDbContext> contextFactory, AgencyAccess access, AuditLog auditLog, BrandResolver brandResolver)
{
    /// <summary>The signed-in member's agency.</summary>
    /// <exception cref="UnauthorizedAccessException">Not a member of an active agency.</exception>
    public async Task<Agency> GetAsync(CancellationToken cancellationToken)
    {
        var membership = await access.RequireAsync(AgencyRole.Staff, cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Agencies.AsNoTracking().FirstAsync(a => a.Id == membership.AgencyId, cancellationToken);
    }

    /// <summary>Saves the brand and templates after validating every field.</summary>
    /// <exception cref="UnauthorizedAccessException">Not an owner.</exception>
    /// <exception cref="ArgumentException">A field is invalid (the message names it); nothing is saved.</exception>
    public async Task UpdateAsync(AgencyBrandSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var membership = await access.RequireAsync(AgencyRole.Owner, cancellationToken);
        var name = Required(settings.Name, Agency.NameMaxLength, "Name");
        var primary = Color(settings.PrimaryColor, "Primary colour");
        var secondary = Color(settings.SecondaryColor, "Secondary colour");
        var email = Optional(settings.SupportEmail, Agency.EmailMaxLength, "Support email");
        if (email is not null && (!MailAddress.TryCreate(email, out var address) || address.Address != email))
        {
            throw new ArgumentException($"Support email: '{email}' is not an email address.", nameof(settings));
        }

        var phone = Optional(settings.SupportPhone, 40, "Support phone");
        if (phone is not null)
        {
            phone = E164.TryNormalize(phone) ?? throw new ArgumentException($"Support phone: '{phone}' is not a phone number.", nameof(settings));
        }

        var sms = Optional(settings.SmsSender, Agency.SmsSenderMaxLength, "SMS sender");
        if (sms is not null && !SmsSenderPattern().IsMatch(sms))
        {
            throw new ArgumentException("SMS sender: 1–11 letters, digits or spaces, with at least one letter.", nameof(settings));
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var agency = await db.Agencies.FirstAsync(a => a.Id == membership.AgencyId, cancellationToken);
        agency.Name = name;
        agency.PrimaryColor = primary;
        agency.SecondaryColor = secondary;
        agency.SupportEmail = email;
        agency.SupportPhone = phone;
        agency.EmailSenderName = Optional(settings.EmailSenderName, Agency.NameMaxLength, "Email sender name");
        agency.SmsSender = sms;
        agency.LegalFooter = Optional(settings.LegalFooter, Agency.LegalFooterMaxLength, "Legal footer");
        agency.TemplateGreeting = Optional(settings.TemplateGreeting, Portal.Data.Entities.AgentPersona.GreetingMaxLength, "Greeting");
        agency.TemplateInstructions = Optional(settings.TemplateInstructions, Portal.Data.Entities.AgentPersona.InstructionsMaxLength, "Instructions");
        agency.TemplateVoiceId = Optional(settings.TemplateVoiceId, 100, "Voice");
        agency.SharedKnowledge = Optional(settings.SharedKnowledge, Agency.TemplateMaxLength, "Shared knowledge");
        _ = SharedFaqs(agency.SharedKnowledge);
        auditLog.Stage(db, membership.Actor, AuditActions.AgencyBrand, "Agency", agency.Id.ToString(), null, new { name, primary, secondary });
        await db.SaveChangesAsync(cancellationToken);
        brandResolver.Forget();
    }

    /// <summary>Replaces the logo or favicon with a checked upload.</summary>
    /// <exception cref="UnauthorizedAccessException">Not an owner.</exception>
    /// <exception cref="ArgumentException">The file is refused (<see cref="BrandAssets.Validate"/>); the old image stays.</exception>
    public async Task SetImageAsync(BrandImageKind kind, byte[] bytes, CancellationToken cancellationToken)
    {
        var membership = await access.RequireAsync(AgencyRole.Owner, cancellationToken);
        var image = BrandAssets.Validate(bytes);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var agency = await db.Agencies.FirstAsync(a => a.Id == membership.AgencyId, cancellationToken);
        if (kind == BrandImageKind.Logo)
        {
            (agency.Logo, agency.LogoContentType) = (image.Bytes, image.ContentType);
        }
        else
        {
            (agency.Favicon, agency.FaviconContentType) = (image.Bytes, image.ContentType);
        }

        auditLog.Stage(db, membership.Actor, AuditActions.AgencyBrand, "Agency", agency.Id.ToString(), null, new { image = kind.ToString(), type = image.ContentType, bytes = image.Bytes.Length });
        await db.SaveChangesAsync(cancellationToken);
        brandResolver.Forget();
    }

    /// <summary>The shared FAQs of <paramref name="text"/>: one a line, <c>question | answer</c>; blank lines skipped.</summary>
    /// <exception cref="ArgumentException">A non-blank line without both parts.</exception>
    public static IReadOnlyList<(string Question, string Answer)> SharedFaqs(string? text)
    {
        var faqs = new List<(string, string)>();
        foreach (var (line, index) in (text ?? "").Split('\n').Select((l, i) => (l.Trim(), i + 1)))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var bar = line.IndexOf('|', StringComparison.Ordinal);
            if (bar <= 0 || bar == line.Length - 1 || line[..bar].Trim().Length == 0 || line[(bar + 1)..].Trim().Length == 0)
            {
                throw new ArgumentException($"Shared knowledge, line {index}: write 'question | answer'.", nameof(text));
            }

            faqs.Add((line[..bar].Trim(), line[(bar + 1)..].Trim()));
        }

        return faqs;
    }

    private static string Required(string? value, int max, string field)
    {
        var trimmed = (value ?? "").Trim();
        return trimmed.Length is > 0 && trimmed.Length <= max ? trimmed : throw new ArgumentException($"{field}: 1–{max} characters.", nameof(value));
    }

    private static string? Optional(string? value, int max, string field)
    {
        var trimmed = (value ?? "").Trim();
        if (trimmed.Length > max)
        {
            throw new ArgumentException($"{field}: at most {max} characters.", nameof(value));
        }

        return trimmed.Length == 0 ? null : trimmed;
    }

    private static string Color(string? value, string field)
    {
        var trimmed = (value ?? "").Trim();
        return ColorPattern().IsMatch(trimmed) ? trimmed.ToUpperInvariant() : throw new ArgumentException($"{field}: a colour like #1E88E5.", nameof(value));
    }

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$")]
    private static partial Regex ColorPattern();

    [GeneratedRegex("^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$")]
    private static partial Regex SmsSenderPattern();
}
