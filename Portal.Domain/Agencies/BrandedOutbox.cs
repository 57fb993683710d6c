using Portal.Data.Entities;
using Portal.Domain.Notifications;

namespace Portal.Domain.Agencies;

/// <summary>
/// The <see cref="IOutbox"/> every service uses: messages about an agency's client carry the agency's brand, never
/// Portal's. Emails get the agency's sender name as From display name and signature, the brand name in place of "Portal", its support contact
/// and legal footer; SMS start with the agency's sender id. Other messages pass through unchanged.
/// </summary>
public sealed class BrandedOutbox(IOutbox inner, BrandResolver brands) : IOutbox
{
    /// <inheritdoc />
    public Task<OutboxMessage> SendEmailAsync(string to, string subject, string body, string category, Guid? tenantId, CancellationToken cancellationToken) =>
        SendEmailAsync(to, subject, body, category, tenantId, null, cancellationToken);

    /// <inheritdoc />
    /// <remarks>For an agency's client the From display name is always the agency's sender name, whatever the caller passed.</remarks>
    public async Task<OutboxMessage> SendEmailAsync(string to, string subject, string body, string category, Guid? tenantId, string? fromName, CancellationToken cancellationToken)
    {
        var brand = await brands.ForTenantAsync(tenantId, cancellationToken);
        if (!brand.IsAgency)
        {
            return await inner.SendEmailAsync(to, subject, body, category, tenantId, fromName, cancellationToken);
        }

        var branded = Rebrand(body ?? "", brand.Name) + $"\n\n— {brand.EmailSenderName}";
        if (brand.SupportEmail is not null || brand.SupportPhone is not null)
        {
            branded += "\nSupport: " + string.Join(" · ", new[] { brand.SupportEmail, brand.SupportPhone }.Where(s => s is not null));
        }

        if (brand.LegalFooter is not null)
        {
            branded += "\n\n" + brand.LegalFooter;
        }

        return await inner.SendEmailAsync(to, Rebrand(subject ?? "", brand.Name), Truncate(branded, OutboxMessage.BodyMaxLength), category, tenantId,
            Truncate(brand.EmailSenderName, OutboxMessage.FromNameMaxLength), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<OutboxMessage> SendSmsAsync(string to, string body, string category, Guid? tenantId, CancellationToken cancellationToken)
    {
        var brand = await brands.ForTenantAsync(tenantId, cancellationToken);
        if (!brand.IsAgency)
        {
            return await inner.SendSmsAsync(to, body, category, tenantId, cancellationToken);
        }

        var text = Rebrand(body ?? "", brand.Name);
        return await inner.SendSmsAsync(to, Truncate($"{brand.SmsSender ?? brand.Name}: {text}", OutboxMessage.SmsMaxLength), category, tenantId, cancellationToken);
    }

    /// <summary><paramref name="text"/> with the word "Portal" replaced by <paramref name="name"/>.</summary>
    public static string Rebrand(string text, string name) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"\bPortal\b", name.Replace("$", "$$", StringComparison.Ordinal), System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
