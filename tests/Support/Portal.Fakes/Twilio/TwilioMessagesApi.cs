using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Portal.Fakes.Twilio;

/// <summary>
/// Messages create (POST Accounts/{Sid}/Messages.json) as https://www.twilio.com/docs/messaging/api/message-resource
/// describes it: 201 with the Message resource (status <c>queued</c>), or 400 with 21604 (no To), 21603 (no From and no
/// MessagingServiceSid), 21602 (no Body and no MediaUrl).
/// </summary>
internal sealed class TwilioMessagesApi(TwilioNumberStore store)
{
    private int _messageRefusedTimes;

    /// <summary>Messages accepted, in order: To, From, Body.</summary>
    public ConcurrentQueue<(string To, string From, string Body)> Messages { get; } = new();

    /// <summary>While positive, Messages create answers 400 / 21610 (the recipient replied STOP), decrementing it.</summary>
    public int MessageRefusedTimes { get => Volatile.Read(ref _messageRefusedTimes); set => Volatile.Write(ref _messageRefusedTimes, value); }

    /// <summary>Handles POST Messages.json.</summary>
    public async Task CreateMessageAsync(HttpContext ctx, Dictionary<string, string> form)
    {
        var to = form.GetValueOrDefault("To");
        var from = form.GetValueOrDefault("From");
        var body = form.GetValueOrDefault("Body");
        if (string.IsNullOrEmpty(to))
        {
            await TwilioJson.ErrorAsync(ctx, 400, 21604, "A 'To' phone number is required.");
            return;
        }

        if (string.IsNullOrEmpty(from) && string.IsNullOrEmpty(form.GetValueOrDefault("MessagingServiceSid")))
        {
            await TwilioJson.ErrorAsync(ctx, 400, 21603, "A 'From' phone number is required.");
            return;
        }

        if (string.IsNullOrEmpty(body) && string.IsNullOrEmpty(form.GetValueOrDefault("MediaUrl")))
        {
            await TwilioJson.ErrorAsync(ctx, 400, 21602, "Message body is required.");
            return;
        }

        if (Interlocked.Decrement(ref _messageRefusedTimes) >= 0)
        {
            await TwilioJson.ErrorAsync(ctx, 400, 21610, "Attempt to send to unsubscribed recipient");
            return;
        }

        Messages.Enqueue((to, from ?? "", body ?? ""));
        var sid = "SM" + store.NextSidNumber().ToString("x32", System.Globalization.CultureInfo.InvariantCulture);
        await TwilioJson.WriteJsonAsync(ctx, 201, new Dictionary<string, object?>
        {
            ["account_sid"] = FakeTwilioServer.AccountSid,
            ["api_version"] = "2010-04-01",
            ["body"] = body,
            ["date_created"] = "Thu, 24 Aug 2023 05:01:45 +0000",
            ["date_sent"] = null,
            ["date_updated"] = "Thu, 24 Aug 2023 05:01:45 +0000",
            ["direction"] = "outbound-api",
            ["error_code"] = null,
            ["error_message"] = null,
            ["from"] = from,
            ["messaging_service_sid"] = form.GetValueOrDefault("MessagingServiceSid"),
            ["num_media"] = "0",
            ["num_segments"] = "1",
            ["price"] = null,
            ["price_unit"] = "USD",
            ["sid"] = sid,
            ["status"] = "queued",
            ["subresource_uris"] = new Dictionary<string, string> { ["media"] = $"/2010-04-01/Accounts/{FakeTwilioServer.AccountSid}/Messages/{sid}/Media.json" },
            ["to"] = to,
            ["uri"] = $"/2010-04-01/Accounts/{FakeTwilioServer.AccountSid}/Messages/{sid}.json",
        });
    }
}
