using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Portal.Fakes.Twilio;

/// <summary>
/// A fake Twilio REST API 2010-04-01 on 127.0.0.1 (real HTTP through Kestrel) speaking the JSON
/// shapes of https://www.twilio.com/docs/usage/api (summary in docs/protocols/twilio.md): AvailablePhoneNumbers/{Country}/Local search, IncomingPhoneNumbers
/// create/update/delete/list (v2010 paging with uri/next_page_uri), Calls update and fetch, Messages create, Twilio error JSON.
/// Records every request; scenario counters inject 429/500/slow answers a set number of times.
/// </summary>
public sealed partial class FakeTwilioServer : IAsyncDisposable
{
    /// <summary>The account SID the fake accepts (Basic auth user and URL segment).</summary>
    public const string AccountSid = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    /// <summary>The auth token the fake accepts (Basic auth password).</summary>
    public const string AuthToken = "0123456789abcdef0123456789abcdef";

    /// <summary>A call SID tests can use.</summary>
    public const string CallSid = "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    private readonly WebApplication _app;
    private readonly TwilioNumberStore _store = new();
    private readonly TwilioNumbersApi _numbers;
    private readonly TwilioMessagesApi _messages;

    private FakeTwilioServer(WebApplication app)
    {
        _app = app;
        _numbers = new TwilioNumbersApi(_store, TakenNumbers);
        _messages = new TwilioMessagesApi(_store);
    }

    /// <summary>Where the fake listens (<c>http://127.0.0.1:{port}/</c>), set once started.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Calls the fake knows (GET Calls/{Sid}.json answers them; others are 404 / 20404): status, duration in s, end time.</summary>
    public ConcurrentDictionary<string, (string Status, int? DurationSeconds, DateTimeOffset? EndTime)> Calls { get; } = new();

    /// <summary>Numbers whose purchase answers 400 / 21422.</summary>
    public ConcurrentDictionary<string, bool> TakenNumbers { get; } = new();

    // Scenario counters: each answer is given while the counter is positive, decrementing it.

    /// <summary>While positive, the number search answers 429 (decremented per answer).</summary>
    public int SearchRateLimitedTimes { get => _numbers.SearchRateLimitedTimes; set => _numbers.SearchRateLimitedTimes = value; }

    /// <summary>While positive, the number search answers 500.</summary>
    public int SearchServerErrorTimes { get => _numbers.SearchServerErrorTimes; set => _numbers.SearchServerErrorTimes = value; }

    /// <summary>While positive, the number search answers slowly.</summary>
    public int SearchSlowTimes { get => _numbers.SearchSlowTimes; set => _numbers.SearchSlowTimes = value; }

    /// <summary>While positive, a purchase answers 429.</summary>
    public int PurchaseRateLimitedTimes { get => _numbers.PurchaseRateLimitedTimes; set => _numbers.PurchaseRateLimitedTimes = value; }

    /// <summary>While positive, a purchase answers 500.</summary>
    public int PurchaseServerErrorTimes { get => _numbers.PurchaseServerErrorTimes; set => _numbers.PurchaseServerErrorTimes = value; }

    /// <summary>While positive, a purchase answers slowly.</summary>
    public int PurchaseSlowTimes { get => _numbers.PurchaseSlowTimes; set => _numbers.PurchaseSlowTimes = value; }

    /// <summary>While positive, listing owned numbers answers 500.</summary>
    public int ListServerErrorTimes { get => _numbers.ListServerErrorTimes; set => _numbers.ListServerErrorTimes = value; }

    /// <summary>The local numbers the search offers: E.164, friendly form, locality, region, postal code.</summary>
    public static readonly (string Number, string Friendly, string Locality, string Region, string Postal)[] Catalog =
    [
        ("+18089251571", "(808) 925-1571", "Hilo", "HI", "96720"),
        ("+18089255327", "(808) 925-5327", "Hilo", "HI", "96720"),
        ("+18085551234", "(808) 555-1234", "Honolulu", "HI", "96813"),
        ("+14155550123", "(415) 555-0123", "San Francisco", "CA", "94103"),
    ];

    /// <summary>Starts the fake on a free port of 127.0.0.1.</summary>
    public static async Task<FakeTwilioServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        var server = new FakeTwilioServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address);
        return server;
    }

    /// <summary>The <c>Authorization</c> header a client with <see cref="AccountSid"/> and <see cref="AuthToken"/> sends.</summary>
    public static string ExpectedAuthorization =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}"));

    /// <summary>Adds <paramref name="count"/> owned numbers (+1212555 0100 on) pointing at an old webhook.</summary>
    public void SeedOwned(int count) => _store.SeedOwned(count);

    /// <summary>The requests with <paramref name="method"/> whose path ends with <paramref name="pathSuffix"/>.</summary>
    public IReadOnlyList<RecordedRequest> RequestsTo(string method, string pathSuffix) =>
        Requests.Where(r => r.Method == method && r.Path.EndsWith(pathSuffix, StringComparison.Ordinal)).ToList();

    /// <summary>A snapshot of an owned number: SID, E.164 and the webhook URLs as Twilio holds them.</summary>
    public sealed record OwnedSnapshot(string Sid, string PhoneNumber, string? VoiceUrl, string? StatusCallback);

    /// <summary>Every owned number, in purchase order.</summary>
    public IReadOnlyList<OwnedSnapshot> OwnedNumbers => _store.OwnedNumbers;

    /// <summary>Re-points an owned number's webhooks as if someone edited it in the Twilio console. False when not owned.</summary>
    public bool SetWebhooks(string phoneNumber, string? voiceUrl, string? statusCallback) => _store.SetWebhooks(phoneNumber, voiceUrl, statusCallback);

    /// <summary>Drops an owned number as if it was released in the console. False when not owned.</summary>
    public bool RemoveOwned(string phoneNumber) => _store.RemoveOwned(phoneNumber);

    /// <summary>Adds a number bought outside Portal; returns its SID.</summary>
    public string AddOwned(string phoneNumber, string? voiceUrl, string? statusCallback) => _store.AddOwned(phoneNumber, voiceUrl, statusCallback);

    /// <summary>Messages accepted, in order: To, From, Body.</summary>
    public ConcurrentQueue<(string To, string From, string Body)> Messages => _messages.Messages;

    /// <summary>While positive, Messages create answers 400 / 21610 (the recipient replied STOP), decrementing it.</summary>
    public int MessageRefusedTimes { get => _messages.MessageRefusedTimes; set => _messages.MessageRefusedTimes = value; }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        var body = await new StreamReader(ctx.Request.Body, Encoding.UTF8).ReadToEndAsync(ctx.RequestAborted);
        var form = ctx.Request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) == true
            ? QueryHelpers.ParseQuery(body).ToDictionary(kv => kv.Key, kv => kv.Value.ToString())
            : [];
        var recorded = new RecordedRequest(
            ctx.Request.Method,
            ctx.Request.Path.Value ?? "",
            QueryHelpers.ParseQuery(ctx.Request.QueryString.Value).ToDictionary(kv => kv.Key, kv => kv.Value.ToString()),
            form,
            TwilioJson.FormOrder(body),
            ctx.Request.Headers.Authorization.ToString(),
            ctx.Request.ContentType,
            ctx.Request.Headers.Accept.ToString());
        Requests.Enqueue(recorded);

        if (recorded.Authorization != ExpectedAuthorization)
        {
            await TwilioJson.ErrorAsync(ctx, 401, 20003, "Authenticate");
            return;
        }

        var path = recorded.Path;
        var prefix = $"/2010-04-01/Accounts/{AccountSid}/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            await TwilioJson.ErrorAsync(ctx, 404, 20404, $"The requested resource {path} was not found");
            return;
        }

        var resource = path[prefix.Length..];
        var method = ctx.Request.Method;
        if (method == "GET" && SearchPath().Match(resource) is { Success: true } search)
        {
            await _numbers.SearchAsync(ctx, search.Groups[1].Value, recorded.Query);
        }
        else if (method == "POST" && resource == "IncomingPhoneNumbers.json")
        {
            await _numbers.PurchaseAsync(ctx, form);
        }
        else if (method == "GET" && resource == "IncomingPhoneNumbers.json")
        {
            await _numbers.ListAsync(ctx, recorded.Query);
        }
        else if (NumberPath().Match(resource) is { Success: true } number && method is "POST" or "DELETE")
        {
            await _numbers.NumberAsync(ctx, method, number.Groups[1].Value, form);
        }
        else if (method == "POST" && CallPath().Match(resource) is { Success: true } call)
        {
            await TwilioJson.WriteJsonAsync(ctx, 200, TwilioJson.CallJson(call.Groups[1].Value));
        }
        else if (method == "POST" && resource == "Messages.json")
        {
            await _messages.CreateMessageAsync(ctx, form);
        }
        else if (method == "GET" && CallPath().Match(resource) is { Success: true } fetched)
        {
            if (Calls.TryGetValue(fetched.Groups[1].Value, out var known))
            {
                await TwilioJson.WriteJsonAsync(ctx, 200, TwilioJson.CallJson(fetched.Groups[1].Value, known.Status, known.DurationSeconds, known.EndTime));
            }
            else
            {
                await TwilioJson.ErrorAsync(ctx, 404, 20404, $"The requested resource {path} was not found");
            }
        }
        else
        {
            await TwilioJson.ErrorAsync(ctx, 404, 20404, $"The requested resource {path} was not found");
        }
    }

    [GeneratedRegex(@"^AvailablePhoneNumbers/([A-Z]{2})/Local\.json$")]
    private static partial Regex SearchPath();

    [GeneratedRegex(@"^IncomingPhoneNumbers/(PN[0-9a-fA-F]{32})\.json$")]
    private static partial Regex NumberPath();

    [GeneratedRegex(@"^Calls/(CA[0-9a-fA-F]{32})\.json$")]
    private static partial Regex CallPath();
}
