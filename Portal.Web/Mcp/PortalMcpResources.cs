using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Portal.Domain.Conversations;

namespace Portal.Web.Mcp;

/// <summary>The business profile as an MCP resource (https://modelcontextprotocol.io/specification/2025-06-18/server/resources).</summary>
[McpServerResourceType]
public static class PortalMcpResources
{
    /// <summary>URI of the profile resource.</summary>
    public const string ProfileUri = "portal://business/profile";

    /// <summary>The token's business: name, industry, address, phone, time zone, weekly hours, closed dates and services, as JSON.</summary>
    [McpServerResource(UriTemplate = ProfileUri, Name = "business_profile", MimeType = "application/json"), Description("The business's profile: name, industry, address, phone, time zone, opening hours, closed dates and services with durations and prices.")]
    public static Task<string> ProfileAsync(RequestContext<ReadResourceRequestParams> request, CancellationToken cancellationToken = default) =>
        McpTenantScope.RunAsync(request, async (sp, grant) =>
        {
            var p = await sp.GetRequiredService<BusinessProfileCache>().GetAsync(grant.TenantId, cancellationToken);
            var hours = Enum.GetValues<DayOfWeek>().ToDictionary(d => d.ToString(),
                d => p.Hours[(int)d].Select(i => $"{i.Opens:HH\\:mm}-{i.Closes:HH\\:mm}").ToList());
            return JsonSerializer.Serialize(new
            {
                name = p.Name,
                industry = p.Industry.ToString(),
                address = p.Address,
                phone = p.Phone,
                timeZone = p.TimeZone.Id,
                hours,
                closedDates = p.ClosedDates.Select(c => new { date = c.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), reason = c.Value }),
                minimumNoticeMinutes = p.MinimumNoticeMinutes,
                services = p.Services.Select(s => new { id = s.Id, name = s.Name, durationMinutes = s.DurationMinutes, priceCents = s.PriceCents, description = s.Description }),
            });
        });
}
