using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Domain.Seeding;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.Voice;

/// <summary>
/// A call's voice failures (counted by the call, <see cref="VoiceFailureTests"/>) are errors people see: on the admin
/// Agents page (the agent's row, across businesses) and on the owner's dashboard, of the business they belong to only.
/// </summary>
public sealed partial class VoiceErrorPagesTests(PortalAppFactory app) : IClassFixture<PortalAppFactory>
{
    private const string Reason = "espeak-ng (offline) could not speak with voice 'variant+f3' (Unknown voice); spoken with espeak-ng (offline) en-us";

    /// <summary>Opens a voice call for the tenant's agent and counts one speech failure on it, as the call path does.</summary>
    private Task<Guid> CallWithVoiceFailureAsync(TestTenant tenant) => app.InTenantAsync(tenant.TenantId, async sp =>
    {
        var conversations = sp.GetRequiredService<ConversationService>();
        var started = await conversations.StartAsync(Channel.Voice, null, CancellationToken.None);
        Assert.True(await sp.GetRequiredService<CallConversationService>().RecordSpeechFailureAsync(started.ConversationId, Reason, CancellationToken.None));
        return started.ConversationId;
    });

    [Fact]
    public async Task VoiceErrors_AreShownOnTheAdminAgentsPage_AndTheOwnersDashboard_OfThatBusinessOnly()
    {
        var broken = await app.CreateTenantAsync("Dashboard Storm Dental " + Guid.NewGuid().ToString("N")[..6]);
        var calm = await app.CreateTenantAsync("Dashboard Calm Dental " + Guid.NewGuid().ToString("N")[..6]);
        var conversationId = await CallWithVoiceFailureAsync(broken);

        var admin = await app.SignInAsync(DemoSeeder.AdminEmail, DemoSeeder.DemoPassword);
        var agents = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/agents"));
        var brokenRow = RowOf(agents, broken.Name);
        Assert.Contains("data-testid=\"agent-voice-errors\"", brokenRow, StringComparison.Ordinal);
        Assert.Contains("1 voice", brokenRow, StringComparison.Ordinal);
        Assert.Contains(Reason, brokenRow, StringComparison.Ordinal); // the tooltip says what failed
        Assert.DoesNotContain("agent-voice-errors", RowOf(agents, calm.Name), StringComparison.Ordinal);

        var brokenDashboard = WebUtility.HtmlDecode(await (await app.SignInAsync(broken.Email, broken.Password)).GetStringAsync("/"));
        Assert.Contains("data-testid=\"voice-errors\"", brokenDashboard, StringComparison.Ordinal);
        Assert.Contains("1 call in the last 7 days could not use your agent's voice", brokenDashboard, StringComparison.Ordinal);
        Assert.Contains(Reason, brokenDashboard, StringComparison.Ordinal);
        Assert.Contains($"/conversations/{conversationId}", brokenDashboard, StringComparison.Ordinal);
        var calmDashboard = await (await app.SignInAsync(calm.Email, calm.Password)).GetStringAsync("/");
        Assert.Contains("data-testid=\"kpi-conversations-today\"", calmDashboard, StringComparison.Ordinal); // it rendered
        Assert.DoesNotContain("voice-errors", calmDashboard, StringComparison.Ordinal);
    }

    /// <summary>The HTML of the table row naming <paramref name="business"/>.</summary>
    private static string RowOf(string html, string business)
    {
        var row = TableRow().Matches(html).Select(m => m.Value).FirstOrDefault(r => r.Contains(business, StringComparison.Ordinal));
        Assert.True(row is not null, $"no row for {business}");
        return row;
    }

    [GeneratedRegex("<tr[^>]*>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex TableRow();
}
