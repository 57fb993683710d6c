using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Tenancy;

namespace Portal.Domain.LiveChat;

/// <summary>The owner's widget settings as the Settings tab edits them.</summary>
/// <param name="PublicKey">The snippet's <c>data-agent</c>.</param>
/// <param name="AllowedOrigins">Allowed websites, one per line.</param>
/// <param name="Colour"><c>#rrggbb</c>.</param>
/// <param name="HandoverWaitSeconds">Hand-over wait, seconds.</param>
/// <param name="AgentName">The agent's name (shown in the widget header).</param>
public sealed record WidgetSettings(string PublicKey, string AllowedOrigins, string Colour, int HandoverWaitSeconds, string AgentName);

/// <summary>Thrown when widget settings are invalid; <see cref="Field"/> names the field. Nothing is saved.</summary>
public sealed class WidgetSettingsException(string field, string message) : ArgumentException(message, field)
{
    /// <summary>The invalid field: <c>AllowedOrigins</c>, <c>Colour</c> or <c>HandoverWaitSeconds</c>.</summary>
    public string Field { get; } = field;
}

/// <summary>Reads and saves the current tenant's chat widget; the widget is created (with a new public key) on first read.</summary>
public sealed partial class WidgetSettingsService(IDbContextFactory<PortalDbContext> contextFactory, ITenantContext tenantContext)
{
    /// <summary>The current tenant's widget settings. Throws <see cref="InvalidOperationException"/> without a tenant or an agent.</summary>
    public async Task<WidgetSettings> GetAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var widget = await EnsureAsync(db, cancellationToken);
        var agent = await db.AgentPersonas.Where(a => a.Id == widget.AgentPersonaId).Select(a => a.Name).FirstAsync(cancellationToken);
        return new WidgetSettings(widget.PublicKey, widget.AllowedOrigins, widget.Colour, widget.HandoverWaitSeconds, agent);
    }

    /// <summary>
    /// Saves the allowed websites (one origin per line, at most <see cref="ChatWidget.MaxAllowedOrigins"/>; each normalised),
    /// the colour and the hand-over wait. Throws <see cref="WidgetSettingsException"/> for invalid input (nothing saved).
    /// </summary>
    public async Task<WidgetSettings> SaveAsync(string? allowedOrigins, string? colour, int handoverWaitSeconds, CancellationToken cancellationToken)
    {
        var origins = new List<string>();
        foreach (var line in (allowedOrigins ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var origin = WidgetOrigins.Normalize(line.TrimEnd('/') + "/")
                ?? throw new WidgetSettingsException("AllowedOrigins", $"'{line}' is not a website address such as https://www.example.com.");
            if (!origins.Contains(origin, StringComparer.Ordinal))
            {
                origins.Add(origin);
            }
        }

        if (origins.Count > ChatWidget.MaxAllowedOrigins)
        {
            throw new WidgetSettingsException("AllowedOrigins", $"At most {ChatWidget.MaxAllowedOrigins} websites.");
        }

        var text = string.Join('\n', origins);
        if (text.Length > ChatWidget.AllowedOriginsMaxLength)
        {
            throw new WidgetSettingsException("AllowedOrigins", "The list of websites is too long.");
        }

        colour = (colour ?? "").Trim().ToLowerInvariant();
        if (!ColourPattern().IsMatch(colour))
        {
            throw new WidgetSettingsException("Colour", "Pick a colour such as #1565c0.");
        }

        if (handoverWaitSeconds is < ChatWidget.MinHandoverWaitSeconds or > ChatWidget.MaxHandoverWaitSeconds)
        {
            throw new WidgetSettingsException("HandoverWaitSeconds", $"The wait must be between {ChatWidget.MinHandoverWaitSeconds} and {ChatWidget.MaxHandoverWaitSeconds} seconds.");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var widget = await EnsureAsync(db, cancellationToken);
        widget.AllowedOrigins = text;
        widget.Colour = colour;
        widget.HandoverWaitSeconds = handoverWaitSeconds;
        await db.SaveChangesAsync(cancellationToken);
        WidgetDirectory.Invalidate(widget.PublicKey);
        return await GetAsync(cancellationToken);
    }

    private async Task<ChatWidget> EnsureAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        var tenantId = tenantContext.TenantId ?? throw new InvalidOperationException("No current tenant.");
        var widget = await db.ChatWidgets.FirstOrDefaultAsync(cancellationToken);
        if (widget is not null)
        {
            return widget;
        }

        var agent = await db.AgentPersonas.OrderByDescending(a => a.IsLive).ThenBy(a => a.CreatedAt).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException("This business has no agent yet.");
        widget = new ChatWidget { TenantId = tenantId, AgentPersonaId = agent, PublicKey = NewPublicKey() };
        db.ChatWidgets.Add(widget);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Created at the same moment by another request (one widget per tenant): use that one.
            db.ChangeTracker.Clear();
            return await db.ChatWidgets.FirstAsync(cancellationToken);
        }

        return widget;
    }

    /// <summary>A new public key: <c>wgt_</c> + 24 characters of base32 (120 random bits).</summary>
    public static string NewPublicKey()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var bytes = RandomNumberGenerator.GetBytes(24);
        return "wgt_" + new string(bytes.Select(b => alphabet[b & 31]).ToArray());
    }

    [GeneratedRegex("^#[0-9a-f]{6}$")]
    private static partial Regex ColourPattern();
}
