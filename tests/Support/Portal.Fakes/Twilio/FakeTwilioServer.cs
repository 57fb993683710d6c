using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
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
    private readonly Lock _gate = new();
    private readonly List<Owned> _owned = [];
    private int _nextSid = 1;
    private int _searchRateLimitedTimes;
    private int _searchServerErrorTimes;
    private int _searchSlowTimes;
    private int _purchaseRateLimitedTimes;
    private int _purchaseServerErrorTimes;
    private int _purchaseSlowTimes;
    private int _listServerErrorTimes;

    private FakeTwilioServer(WebApplication app) => _app = app;

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
    public int SearchRateLimitedTimes { get => Volatile.Read(ref _searchRateLimitedTimes); set => Volatile.Write(ref _searchRateLimitedTimes, value); }

    /// <summary>While positive, the number search answers 500.</summary>
    public int SearchServerErrorTimes { get => Volatile.Read(ref _searchServerErrorTimes); set => Volatile.Write(ref _searchServerErrorTimes, value); }

    /// <summary>While positive, the number search answers slowly.</summary>
    public int SearchSlowTimes { get => Volatile.Read(ref _searchSlowTimes); set => Volatile.Write(ref _searchSlowTimes, value); }

    /// <summary>While positive, a purchase answers 429.</summary>
    public int PurchaseRateLimitedTimes { get => Volatile.Read(ref _purchaseRateLimitedTimes); set => Volatile.Write(ref _purchaseRateLimitedTimes, value); }

    /// <summary>While positive, a purchase answers 500.</summary>
    public int PurchaseServerErrorTimes { get => Volatile.Read(ref _purchaseServerErrorTimes); set => Volatile.Write(ref _purchaseServerErrorTimes, value); }

    /// <summary>While positive, a purchase answers slowly.</summary>
    public int PurchaseSlowTimes { get => Volatile.Read(ref _purchaseSlowTimes); set => Volatile.Write(ref _purchaseSlowTimes, value); }

    /// <summary>While positive, listing owned numbers answers 500.</summary>
    public int ListServerErrorTimes { get => Volatile.Read(ref _listServerErrorTimes); set => Volatile.Write(ref _listServerErrorTimes, value); }

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
    public void SeedOwned(int count)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _owned.Add(new Owned(NewSid(), $"+1212555{100 + i:0000}", "https://old.example.com/voice", ""));
            }
        }
    }

    /// <summary>The requests with <paramref name="method"/> whose path ends with <paramref name="pathSuffix"/>.</summary>
    public IReadOnlyList<RecordedRequest> RequestsTo(string method, string pathSuffix) =>
        Requests.Where(r => r.Method == method && r.Path.EndsWith(pathSuffix, StringComparison.Ordinal)).ToList();

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
            FormOrder(body),
            ctx.Request.Headers.Authorization.ToString(),
            ctx.Request.ContentType,
            ctx.Request.Headers.Accept.ToString());
        Requests.Enqueue(recorded);

        if (recorded.Authorization != ExpectedAuthorization)
        {
            await ErrorAsync(ctx, 401, 20003, "Authenticate");
            return;
        }

        var path = recorded.Path;
        var prefix = $"/2010-04-01/Accounts/{AccountSid}/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            await ErrorAsync(ctx, 404, 20404, $"The requested resource {path} was not found");
            return;
        }

        var resource = path[prefix.Length..];
        var method = ctx.Request.Method;
        if (method == "GET" && SearchPath().Match(resource) is { Success: true } search)
        {
            await SearchAsync(ctx, search.Groups[1].Value, recorded.Query);
        }
        else if (method == "POST" && resource == "IncomingPhoneNumbers.json")
        {
            await PurchaseAsync(ctx, form);
        }
        else if (method == "GET" && resource == "IncomingPhoneNumbers.json")
        {
            await ListAsync(ctx, recorded.Query);
        }
        else if (NumberPath().Match(resource) is { Success: true } number && method is "POST" or "DELETE")
        {
            await NumberAsync(ctx, method, number.Groups[1].Value, form);
        }
        else if (method == "POST" && CallPath().Match(resource) is { Success: true } call)
        {
            await WriteJsonAsync(ctx, 200, CallJson(call.Groups[1].Value));
        }
        else if (method == "POST" && resource == "Messages.json")
        {
            await CreateMessageAsync(ctx, form);
        }
        else if (method == "GET" && CallPath().Match(resource) is { Success: true } fetched)
        {
            if (Calls.TryGetValue(fetched.Groups[1].Value, out var known))
            {
                await WriteJsonAsync(ctx, 200, CallJson(fetched.Groups[1].Value, known.Status, known.DurationSeconds, known.EndTime));
            }
            else
            {
                await ErrorAsync(ctx, 404, 20404, $"The requested resource {path} was not found");
            }
        }
        else
        {
            await ErrorAsync(ctx, 404, 20404, $"The requested resource {path} was not found");
        }
    }

    private async Task SearchAsync(HttpContext ctx, string country, Dictionary<string, string> query)
    {
        if (Interlocked.Decrement(ref _searchRateLimitedTimes) >= 0)
        {
            ctx.Response.Headers.RetryAfter = "1";
            await ErrorAsync(ctx, 429, 20429, "Too Many Requests");
            return;
        }

        if (Interlocked.Decrement(ref _searchServerErrorTimes) >= 0)
        {
            await ErrorAsync(ctx, 500, 20500, "Internal Server Error");
            return;
        }

        if (Interlocked.Decrement(ref _searchSlowTimes) >= 0)
        {
            await DelayQuietlyAsync(TimeSpan.FromSeconds(3), ctx.RequestAborted);
            if (ctx.RequestAborted.IsCancellationRequested)
            {
                return;
            }
        }

        var pageSize = query.TryGetValue("PageSize", out var ps) ? int.Parse(ps, System.Globalization.CultureInfo.InvariantCulture) : 50;
        HashSet<string> owned;
        lock (_gate)
        {
            owned = _owned.Select(o => o.PhoneNumber).ToHashSet(StringComparer.Ordinal);
        }

        // Like Twilio, numbers this account already owns are not offered again.
        var matches = Catalog
            .Where(_ => country == "US")
            .Where(n => !owned.Contains(n.Number))
            .Where(n => !query.TryGetValue("AreaCode", out var ac) || n.Number.StartsWith("+1" + ac, StringComparison.Ordinal))
            .Where(n => !query.TryGetValue("InLocality", out var loc) || n.Locality == loc)
            .Where(n => !query.TryGetValue("InRegion", out var reg) || n.Region == reg)
            .Where(n => !query.TryGetValue("Contains", out var c) || n.Number.Contains(c, StringComparison.Ordinal))
            .Take(pageSize)
            .Select(n => new Dictionary<string, object?>
            {
                ["address_requirements"] = "none",
                ["beta"] = false,
                ["capabilities"] = new Dictionary<string, bool> { ["mms"] = true, ["SMS"] = false, ["voice"] = true },
                ["friendly_name"] = n.Friendly,
                ["iso_country"] = "US",
                ["lata"] = "834",
                ["latitude"] = "19.720000",
                ["locality"] = n.Locality,
                ["longitude"] = "-155.090000",
                ["phone_number"] = n.Number,
                ["postal_code"] = n.Postal,
                ["rate_center"] = n.Locality.ToUpperInvariant(),
                ["region"] = n.Region,
            })
            .ToList();
        await WriteJsonAsync(ctx, 200, new Dictionary<string, object?>
        {
            ["available_phone_numbers"] = matches,
            ["uri"] = ctx.Request.Path.Value + ctx.Request.QueryString.Value,
        });
    }

    private async Task PurchaseAsync(HttpContext ctx, Dictionary<string, string> form)
    {
        if (Interlocked.Decrement(ref _purchaseRateLimitedTimes) >= 0)
        {
            ctx.Response.Headers.RetryAfter = "1";
            await ErrorAsync(ctx, 429, 20429, "Too Many Requests");
            return;
        }

        if (Interlocked.Decrement(ref _purchaseServerErrorTimes) >= 0)
        {
            await ErrorAsync(ctx, 500, 20500, "Internal Server Error");
            return;
        }

        if (Interlocked.Decrement(ref _purchaseSlowTimes) >= 0)
        {
            await DelayQuietlyAsync(TimeSpan.FromSeconds(3), ctx.RequestAborted);
            if (ctx.RequestAborted.IsCancellationRequested)
            {
                return;
            }
        }

        var phone = form.GetValueOrDefault("PhoneNumber") ?? "";
        if (TakenNumbers.ContainsKey(phone))
        {
            await ErrorAsync(ctx, 400, 21422, "PhoneNumber Requested is not available");
            return;
        }

        Owned owned;
        lock (_gate)
        {
            owned = new Owned(NewSid(), phone, form.GetValueOrDefault("VoiceUrl"), form.GetValueOrDefault("StatusCallback"));
            _owned.Add(owned);
        }

        await WriteJsonAsync(ctx, 201, NumberJson(owned));
    }

    private async Task ListAsync(HttpContext ctx, Dictionary<string, string> query)
    {
        if (Interlocked.Decrement(ref _listServerErrorTimes) >= 0)
        {
            await ErrorAsync(ctx, 500, 20500, "Internal Server Error");
            return;
        }

        var pageSize = query.TryGetValue("PageSize", out var ps) ? int.Parse(ps, System.Globalization.CultureInfo.InvariantCulture) : 50;
        var page = query.TryGetValue("Page", out var p) ? int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) : 0;
        if (page > 0 && query.GetValueOrDefault("PageToken") != $"PA{page}")
        {
            await ErrorAsync(ctx, 400, 20001, "Invalid PageToken");
            return;
        }

        List<Owned> all;
        lock (_gate)
        {
            all = [.. _owned];
        }

        var slice = all.Skip(page * pageSize).Take(pageSize).ToList();
        var basePath = $"/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json";
        var hasNext = (page + 1) * pageSize < all.Count;
        await WriteJsonAsync(ctx, 200, new Dictionary<string, object?>
        {
            ["end"] = (page * pageSize) + slice.Count - 1,
            ["first_page_uri"] = $"{basePath}?PageSize={pageSize}&Page=0",
            ["incoming_phone_numbers"] = slice.Select(NumberJson).ToList(),
            ["next_page_uri"] = hasNext ? $"{basePath}?PageSize={pageSize}&Page={page + 1}&PageToken=PA{page + 1}" : null,
            ["page"] = page,
            ["page_size"] = pageSize,
            ["previous_page_uri"] = page > 0 ? $"{basePath}?PageSize={pageSize}&Page={page - 1}&PageToken=PB{page}" : null,
            ["start"] = page * pageSize,
            ["uri"] = ctx.Request.Path.Value + ctx.Request.QueryString.Value,
        });
    }

    private async Task NumberAsync(HttpContext ctx, string method, string sid, Dictionary<string, string> form)
    {
        Owned? owned;
        lock (_gate)
        {
            owned = _owned.Find(o => o.Sid == sid);
            if (owned is not null && method == "DELETE")
            {
                _owned.Remove(owned);
            }
            else if (owned is not null)
            {
                owned.VoiceUrl = form.GetValueOrDefault("VoiceUrl", owned.VoiceUrl ?? "");
                owned.StatusCallback = form.GetValueOrDefault("StatusCallback", owned.StatusCallback ?? "");
            }
        }

        if (owned is null)
        {
            await ErrorAsync(ctx, 404, 20404, $"The requested resource {ctx.Request.Path} was not found");
        }
        else if (method == "DELETE")
        {
            ctx.Response.StatusCode = 204;
        }
        else
        {
            await WriteJsonAsync(ctx, 200, NumberJson(owned));
        }
    }

    [GeneratedRegex(@"^AvailablePhoneNumbers/([A-Z]{2})/Local\.json$")]
    private static partial Regex SearchPath();

    [GeneratedRegex(@"^IncomingPhoneNumbers/(PN[0-9a-fA-F]{32})\.json$")]
    private static partial Regex NumberPath();

    [GeneratedRegex(@"^Calls/(CA[0-9a-fA-F]{32})\.json$")]
    private static partial Regex CallPath();

    private sealed class Owned(string sid, string phoneNumber, string? voiceUrl, string? statusCallback)
    {
        public string Sid { get; } = sid;
        public string PhoneNumber { get; } = phoneNumber;
        public string? VoiceUrl { get; set; } = voiceUrl;
        public string? StatusCallback { get; set; } = statusCallback;
    }
}
