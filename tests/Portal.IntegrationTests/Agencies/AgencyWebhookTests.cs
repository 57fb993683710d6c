using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Identity;
using Portal.Domain.Agencies;
using Portal.Domain.Audit;
using Portal.Domain.Webhooks;
using Portal.Fakes;
using Portal.Jobs.Webhooks;

namespace Portal.IntegrationTests.Agencies;

/// <summary>The agency app with webhook endpoints on 127.0.0.1 allowed (the receiver below).</summary>
public sealed class AgencyWebhookFactory : AgencyAppFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Webhooks:AllowLoopback", "true");
    }
}

/// <summary>
/// An agency manages its clients' webhooks through the client's own webhook service: add (secret once), a signed test
/// event that reaches a receiver, recent deliveries, disable, delete; another agency, another agency's staff and the
/// client's owner cannot.
/// </summary>
public sealed class AgencyWebhookTests(AgencyWebhookFactory app) : IClassFixture<AgencyWebhookFactory>
{
    [Fact]
    public async Task Owner_AddsAClientsEndpoint_SendsASignedTestEvent_SeesTheDelivery_DisablesAndDeletes()
    {
        var agency = await app.CreateAgencyAsync("Hook Agency");
        var (client, _) = await app.CreateClientAsync(agency, "Hook Client");
        var received = new ConcurrentQueue<(string Id, string Timestamp, string Signature, string Body)>();
        await using var receiver = await LoopbackServer.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            received.Enqueue((context.Request.Headers["webhook-id"].ToString(), context.Request.Headers["webhook-timestamp"].ToString(),
                context.Request.Headers["webhook-signature"].ToString(), await reader.ReadToEndAsync()));
            context.Response.StatusCode = 200;
        });

        var (endpoint, secret) = await app.AsOwnerAsync(agency, sp => sp.GetRequiredService<AgencyClientWebhooks>()
            .CreateAsync(client, new Uri(receiver.BaseUrl, "/hooks").ToString(), "CRM", [WebhookEventTypes.BookingCreated], CancellationToken.None));
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        var listed = Assert.Single(await app.AsOwnerAsync(agency, sp => sp.GetRequiredService<AgencyClientWebhooks>().ListAsync(client, CancellationToken.None)));
        Assert.Equal(endpoint.Id, listed.Id);
        Assert.Equal(new[] { WebhookEventTypes.BookingCreated }, listed.Events);
        // The endpoint is the client's own: its owner's Settings → Webhooks (the same service in its tenant) lists it.
        Assert.Equal(endpoint.Id, Assert.Single(await app.InTenantAsync(client, sp => sp.GetRequiredService<WebhookService>().ListAsync(CancellationToken.None))).Id);

        var deliveryId = await app.AsOwnerAsync(agency, sp => sp.GetRequiredService<AgencyClientWebhooks>().SendTestAsync(client, endpoint.Id, CancellationToken.None));
        Assert.NotNull(deliveryId);
        await app.InTenantAsync(client, async sp => { await sp.GetRequiredService<DeliverWebhookJob>().RunAsync(client, deliveryId.Value, false, CancellationToken.None); return 0; });

        var hit = Assert.Single(received);
        using (var hmac = new HMACSHA256(Convert.FromBase64String(secret["whsec_".Length..])))
        {
            // Standard Webhooks: v1,base64(HMAC-SHA256(secret, id.timestamp.body)), computed here independently of the app's signer.
            var expected = "v1," + Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{hit.Id}.{hit.Timestamp}.{hit.Body}")));
            Assert.Contains(expected, hit.Signature.Split(' '));
        }

        using (var json = JsonDocument.Parse(hit.Body))
        {
            Assert.Equal(WebhookEventTypes.Test, json.RootElement.GetProperty("type").GetString());
            Assert.Equal(endpoint.Id, json.RootElement.GetProperty("data").GetProperty("endpointId").GetGuid());
        }

        var delivery = Assert.Single(await app.AsOwnerAsync(agency, sp => sp.GetRequiredService<AgencyClientWebhooks>().DeliveriesAsync(client, endpoint.Id, 20, CancellationToken.None)));
        Assert.Equal(WebhookDeliveryStatus.Succeeded, delivery.Status);
        Assert.Equal(200, delivery.LastStatusCode);

        Assert.True(await app.AsOwnerAsync(agency, sp => sp.GetRequiredService<AgencyClientWebhooks>().SetEnabledAsync(client, endpoint.Id, false, CancellationToken.None)));
        Assert.False(Assert.Single(await app.AsOwnerAsync(agency, sp => sp.GetRequiredService<AgencyClientWebhooks>().ListAsync(client, CancellationToken.None))).IsEnabled);
        Assert.True(await app.AsOwnerAsync(agency, sp => sp.GetRequiredService<AgencyClientWebhooks>().DeleteAsync(client, endpoint.Id, CancellationToken.None)));
        Assert.Empty(await app.AsOwnerAsync(agency, sp => sp.GetRequiredService<AgencyClientWebhooks>().ListAsync(client, CancellationToken.None)));

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var audited = await db.AuditEntries.Where(e => e.Action == AuditActions.AgencyClientWebhook && e.TenantId == client && e.ActorUserId == agency.OwnerId).CountAsync();
        Assert.Equal(3, audited);
    }

    [Fact]
    public async Task AnotherAgency_AndAnotherAgencysStaff_CannotListAddTestOrDelete_StaffOfTheAgencyCan()
    {
        var alpha = await app.CreateAgencyAsync("Alpha Hooks");
        var beta = await app.CreateAgencyAsync("Beta Hooks");
        var (alphaClient, _) = await app.CreateClientAsync(alpha, "Alpha Hooked Client");
        var (betaClient, _) = await app.CreateClientAsync(beta, "Beta Hooked Client");
        var (alphaEndpoint, _) = await app.AsOwnerAsync(alpha, sp => sp.GetRequiredService<AgencyClientWebhooks>()
            .CreateAsync(alphaClient, "http://127.0.0.1:9/alpha", null, [WebhookEventTypes.CallCompleted], CancellationToken.None));
        var alphaStaff = await AddStaffAsync(alpha);

        // Beta's owner: every action on Alpha's client is refused, and nothing of Alpha's changes.
        Task<T> AsBeta<T>(Func<AgencyClientWebhooks, Task<T>> act) => app.AsOwnerAsync(beta, sp => act(sp.GetRequiredService<AgencyClientWebhooks>()));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => AsBeta(h => h.ListAsync(alphaClient, CancellationToken.None)));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => AsBeta(h => h.CreateAsync(alphaClient, "http://127.0.0.1:9/beta", null, [WebhookEventTypes.CallCompleted], CancellationToken.None)));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => AsBeta(h => h.DeleteAsync(alphaClient, alphaEndpoint.Id, CancellationToken.None)));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => AsBeta(h => h.SendTestAsync(alphaClient, alphaEndpoint.Id, CancellationToken.None)));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => AsBeta(h => h.DeliveriesAsync(alphaClient, null, 20, CancellationToken.None)));
        // An endpoint id of Alpha's client named against Beta's own client is simply not there.
        Assert.False(await AsBeta(h => h.DeleteAsync(betaClient, alphaEndpoint.Id, CancellationToken.None)));

        // Alpha's staff manage Alpha's clients' webhooks, not Beta's.
        Task<T> AsAlphaStaff<T>(Func<AgencyClientWebhooks, Task<T>> act) =>
            app.AsUserAsync(alphaStaff.UserId, alphaStaff.Email, [Roles.AgencyStaff], sp => act(sp.GetRequiredService<AgencyClientWebhooks>()));
        Assert.Single(await AsAlphaStaff(h => h.ListAsync(alphaClient, CancellationToken.None)));
        var (staffEndpoint, _) = await AsAlphaStaff(h => h.CreateAsync(alphaClient, "http://127.0.0.1:9/staff", null, [WebhookEventTypes.MessageTaken], CancellationToken.None));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => AsAlphaStaff(h => h.ListAsync(betaClient, CancellationToken.None)));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => AsAlphaStaff(h => h.CreateAsync(betaClient, "http://127.0.0.1:9/x", null, [WebhookEventTypes.CallCompleted], CancellationToken.None)));

        var alphaEndpoints = await app.InTenantAsync(alphaClient, sp => sp.GetRequiredService<WebhookService>().ListAsync(CancellationToken.None));
        Assert.Equal(new[] { alphaEndpoint.Id, staffEndpoint.Id }.Order(), alphaEndpoints.Select(e => e.Id).Order());
        Assert.Empty(await app.InTenantAsync(betaClient, sp => sp.GetRequiredService<WebhookService>().ListAsync(CancellationToken.None)));
    }

    [Fact]
    public async Task ClientOwner_NeverReachesTheAgencysPages()
    {
        var agency = await app.CreateAgencyAsync("Closed Agency");
        var (client, ownerEmail) = await app.CreateClientAsync(agency, "Closed Client");
        using var owner = await app.SignInAsync(ownerEmail, AgencyAppFactory.Password);
        foreach (var page in new[] { $"/agency/clients/{client}", "/agency/team", "/agency/billing", "/agency" })
        {
            var response = await owner.GetAsync(page);
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect or HttpStatusCode.Found, $"{page}: {(int)response.StatusCode}");
            Assert.DoesNotContain("client-webhooks", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            if (response.Headers.Location is { } location)
            {
                Assert.Contains("AccessDenied", location.ToString(), StringComparison.Ordinal);
            }
        }

        // The client's owner is no agency member: the agency services refuse them too.
        var user = await app.InTenantAsync(client, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.Users.SingleAsync(u => u.Email == ownerEmail);
        });
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => app.AsUserAsync(user.Id, ownerEmail, [Roles.BusinessOwner],
            sp => sp.GetRequiredService<AgencyClientWebhooks>().ListAsync(client, CancellationToken.None)));
    }

    private async Task<AgencyTeamMember> AddStaffAsync(TestAgency agency)
    {
        var email = $"{Guid.NewGuid():N}@staff.test";
        var member = await app.AsOwnerAsync(agency, sp => sp.GetRequiredService<AgencyTeam>().InviteAsync(email, "Staff", AgencyRole.Staff, "http://localhost/", CancellationToken.None));
        return member;
    }
}
