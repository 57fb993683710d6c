using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Domain.Customers;
using Portal.Domain.Scheduling;
using Portal.IntegrationTests.Accounts;

namespace Portal.IntegrationTests.Customers;

/// <summary>
/// One customer, every channel: calls, chats and texts from one number or email are one customer, bookings join them, and a
/// returning customer is welcomed by name and told the day and time of their next appointment (nothing more).
/// </summary>
public sealed class CustomerMatchingTests(TeamAppFactory app) : IClassFixture<TeamAppFactory>
{
    private const string Phone = "+12125550187";

    private static async Task<Customer?> CustomerOfAsync(IServiceProvider sp, Guid conversationId)
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var customerId = await db.Conversations.Where(c => c.Id == conversationId).Select(c => c.CustomerId).SingleAsync();
        return customerId is null ? null : await db.Customers.SingleAsync(c => c.Id == customerId);
    }

    [Fact]
    public async Task CallAndChatFromTheSameNumber_AreOneCustomer_AndTheBookingJoinsThem()
    {
        var tenant = await app.CreateTenantAsync("One Number Dental");
        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            var conversations = sp.GetRequiredService<ConversationService>();
            var call = await conversations.StartAsync(Channel.Voice, Phone, CancellationToken.None);
            var fromCall = await CustomerOfAsync(sp, call.ConversationId);
            Assert.NotNull(fromCall);
            Assert.Equal(Phone, fromCall.Phone);
            Assert.DoesNotContain("Welcome back", call.Greeting, StringComparison.Ordinal);

            var chat = await conversations.StartAsync(Channel.WebChat, null, CancellationToken.None);
            Assert.Null(await CustomerOfAsync(sp, chat.ConversationId));
            foreach (var utterance in new[] { "I'd like to leave a message", "Please call me back about teeth whitening", "Jamie Rivera", "212 555 0187" })
            {
                await conversations.ProcessTurnAsync(chat.ConversationId, utterance, CancellationToken.None);
            }

            var fromChat = await CustomerOfAsync(sp, chat.ConversationId);
            Assert.NotNull(fromChat);
            Assert.Equal(fromCall.Id, fromChat.Id);
            Assert.Equal("Jamie Rivera", fromChat.Name);

            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var service = await db.Services.FirstAsync();
            var start = DateTimeOffset.UtcNow.AddDays(3);
            var bookingId = await sp.GetRequiredService<IBookingStore>().CreateAsync(
                new NewBooking(tenant.TenantId, service.Id, null, start, start.AddMinutes(30), "Jamie Rivera", Phone, null), CancellationToken.None);
            Assert.NotNull(bookingId);
            Assert.Equal(fromCall.Id, await db.Bookings.Where(b => b.Id == bookingId).Select(b => b.CustomerId).SingleAsync());
            Assert.Equal(1, await db.Customers.CountAsync());
            return 0;
        });
    }

    [Fact]
    public async Task ReturningCaller_IsWelcomedByName_AndToldTheDayAndTimeOfTheNextBookingOnly()
    {
        var tenant = await app.CreateTenantAsync("Returning Caller Dental");
        var serviceName = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            var conversations = sp.GetRequiredService<ConversationService>();
            var first = await conversations.StartAsync(Channel.Voice, Phone, CancellationToken.None);
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var customer = (await CustomerOfAsync(sp, first.ConversationId))!;
            await db.Customers.Where(c => c.Id == customer.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Name, "Jamie Rivera"));
            var service = await db.Services.FirstAsync();
            var start = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(5).AddHours(15), TimeSpan.Zero);
            await sp.GetRequiredService<IBookingStore>().CreateAsync(
                new NewBooking(tenant.TenantId, service.Id, null, start, start.AddMinutes(30), "Jamie Rivera", Phone, null), CancellationToken.None);
            return service.Name;
        });

        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            var conversations = sp.GetRequiredService<ConversationService>();
            var again = await conversations.StartAsync(Channel.Voice, Phone, CancellationToken.None);
            Assert.StartsWith("Welcome back, Jamie!", again.Greeting, StringComparison.Ordinal);

            var reply = await conversations.ProcessTurnAsync(again.ConversationId, "when is my appointment?", CancellationToken.None);
            Assert.Contains("appointment for you on", reply.Reply, StringComparison.Ordinal);
            Assert.DoesNotContain(serviceName, reply.Reply, StringComparison.OrdinalIgnoreCase);

            var stranger = await conversations.StartAsync(Channel.Voice, "+12125550111", CancellationToken.None);
            Assert.DoesNotContain("Welcome back", stranger.Greeting, StringComparison.Ordinal);
            var none = await conversations.ProcessTurnAsync(stranger.ConversationId, "when is my appointment?", CancellationToken.None);
            Assert.Contains("don't see a booking", none.Reply, StringComparison.Ordinal);
            return 0;
        });
    }

    [Fact]
    public async Task ChatVisitorWhoGivesAKnownEmail_IsMatched_WelcomedBack_AndToldTheirNextAppointment()
    {
        var tenant = await app.CreateTenantAsync("Email Match Dental");
        var customerId = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var customer = new Customer { TenantId = tenant.TenantId, Name = "Priya Shah", Email = "priya.shah@example.com", FirstContactAt = DateTimeOffset.UtcNow.AddDays(-30), LastContactAt = DateTimeOffset.UtcNow.AddDays(-30) };
            db.Customers.Add(customer);
            var service = await db.Services.FirstAsync();
            var start = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(4).AddHours(14), TimeSpan.Zero);
            db.Bookings.Add(new Booking { TenantId = tenant.TenantId, ServiceId = service.Id, CustomerId = customer.Id, StartUtc = start, EndUtc = start.AddMinutes(30), CustomerName = "Priya Shah", CustomerPhone = "+12125550166" });
            await db.SaveChangesAsync();
            return customer.Id;
        });

        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            var conversations = sp.GetRequiredService<ConversationService>();
            var chat = await conversations.StartAsync(Channel.WebChat, null, CancellationToken.None);
            var hello = await conversations.ProcessTurnAsync(chat.ConversationId, "Hi, it's Priya.Shah@Example.com here", CancellationToken.None);
            Assert.StartsWith("Welcome back, Priya!", hello.Reply, StringComparison.Ordinal);
            Assert.Equal(customerId, (await CustomerOfAsync(sp, chat.ConversationId))?.Id);

            var when = await conversations.ProcessTurnAsync(chat.ConversationId, "when is my appointment?", CancellationToken.None);
            Assert.Contains("appointment for you on", when.Reply, StringComparison.Ordinal);
            Assert.DoesNotContain("Welcome back", when.Reply, StringComparison.Ordinal);
            return 0;
        });
    }

    [Fact]
    public async Task TestConversations_AreNeverLinkedToACustomer()
    {
        var tenant = await app.CreateTenantAsync("Test Chat Dental");
        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            var conversations = sp.GetRequiredService<ConversationService>();
            var test = await conversations.StartTestAsync(Channel.Test, CancellationToken.None);
            await conversations.ProcessTurnAsync(test.ConversationId, "my email is owner@example.com", CancellationToken.None);
            Assert.Null(await CustomerOfAsync(sp, test.ConversationId));
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            Assert.Equal(0, await db.Customers.CountAsync());
            return 0;
        });
    }

    [Theory]
    [InlineData("+12125550187", "+12125550187")]
    [InlineData("anonymous", null)]
    [InlineData("266696687", null)]
    [InlineData("", null)]
    public void NormalizePhone_KeepsOnlyE164(string input, string? expected) => Assert.Equal(expected, CustomerMatcher.NormalizePhone(input));

    [Theory]
    [InlineData("you can reach me at Jamie.R+spa@Mail.Example.COM.", "jamie.r+spa@mail.example.com")]
    [InlineData("my email is jamie at example dot com", null)]
    [InlineData("call 212 555 0187", null)]
    public void FindEmail_ReadsANormalisedAddressOutOfText(string text, string? expected) => Assert.Equal(expected, CustomerMatcher.FindEmail(text));
}
