using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Portal.Fakes.Twilio;

/// <summary>Twilio-shaped JSON resources (IncomingPhoneNumber, Call), the Twilio error JSON and small helpers of <see cref="FakeTwilioServer"/>.</summary>
internal static class TwilioJson
{
    internal static Dictionary<string, object?> NumberJson(TwilioOwnedNumber o) => new()
    {
        ["account_sid"] = FakeTwilioServer.AccountSid,
        ["address_requirements"] = "none",
        ["api_version"] = "2010-04-01",
        ["beta"] = false,
        ["capabilities"] = new Dictionary<string, bool> { ["voice"] = true, ["sms"] = false, ["mms"] = true, ["fax"] = false },
        ["date_created"] = "Thu, 30 Jul 2015 23:19:04 +0000",
        ["date_updated"] = "Thu, 30 Jul 2015 23:19:04 +0000",
        ["emergency_status"] = "Active",
        ["friendly_name"] = "friendly_name",
        ["origin"] = "twilio",
        ["phone_number"] = o.PhoneNumber,
        ["sid"] = o.Sid,
        ["status_callback"] = o.StatusCallback,
        ["status_callback_method"] = "POST",
        ["trunk_sid"] = null,
        ["uri"] = $"/2010-04-01/Accounts/{FakeTwilioServer.AccountSid}/IncomingPhoneNumbers/{o.Sid}.json",
        ["voice_caller_id_lookup"] = false,
        ["voice_method"] = "POST",
        ["voice_url"] = o.VoiceUrl,
        ["voice_receive_mode"] = "voice",
        ["status"] = "in-use",
    };

    /// <summary>A Call resource as Twilio returns it: <c>duration</c> a decimal string (null while live), times in RFC 2822 form.</summary>
    internal static Dictionary<string, object?> CallJson(string sid, string status = "in-progress", int? duration = 15, DateTimeOffset? endTime = null) => new()
    {
        ["account_sid"] = FakeTwilioServer.AccountSid,
        ["api_version"] = "2010-04-01",
        ["direction"] = "inbound",
        ["duration"] = duration?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["end_time"] = endTime?.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss +0000", System.Globalization.CultureInfo.InvariantCulture),
        ["from"] = "+14158675308",
        ["sid"] = sid,
        ["status"] = status,
        ["to"] = "+14158675309",
        ["uri"] = $"/2010-04-01/Accounts/{FakeTwilioServer.AccountSid}/Calls/{sid}.json",
    };

    internal static Task ErrorAsync(HttpContext ctx, int status, int code, string message) =>
        WriteJsonAsync(ctx, status, new Dictionary<string, object?>
        {
            ["code"] = code,
            ["message"] = message,
            ["more_info"] = $"https://www.twilio.com/docs/errors/{code}",
            ["status"] = status,
        });

    internal static async Task WriteJsonAsync(HttpContext ctx, int status, object payload)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        await ctx.Response.WriteAsync(JsonSerializer.Serialize(payload), ctx.RequestAborted);
    }

    internal static async Task DelayQuietlyAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, ct);
        }
        catch (OperationCanceledException)
        {
            // The client gave up, which is what the timeout tests want.
        }
    }

    internal static List<string> FormOrder(string body) =>
        body.Length == 0 ? [] : body.Split('&').Select(pair => Uri.UnescapeDataString(pair.Split('=')[0])).ToList();
}
