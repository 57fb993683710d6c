using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Portal.Fakes.Twilio;

/// <summary>
/// The phone-number endpoints of <see cref="FakeTwilioServer"/>: AvailablePhoneNumbers search and IncomingPhoneNumbers
/// create/list/update/delete, with the scenario counters that inject 429/500/slow answers a set number of times.
/// </summary>
internal sealed class TwilioNumbersApi(TwilioNumberStore store, ConcurrentDictionary<string, bool> takenNumbers)
{
    private int _searchRateLimitedTimes;
    private int _searchServerErrorTimes;
    /// <summary>
    /// How long a slow answer is held: far beyond any client timeout a test sets, so that the client's timeout, not the
    /// machine's load, decides when the attempt ends.
    /// </summary>
    public static readonly TimeSpan SlowAnswerDelay = TimeSpan.FromSeconds(60);

    private int _searchSlowTimes;
    private int _purchaseRateLimitedTimes;
    private int _purchaseServerErrorTimes;
    private int _purchaseSlowTimes;
    private int _listServerErrorTimes;

    /// <summary>While positive, the number search answers 429 (decremented per answer).</summary>
    public int SearchRateLimitedTimes { get => Volatile.Read(ref _searchRateLimitedTimes); set => Volatile.Write(ref _searchRateLimitedTimes, value); }

    /// <summary>While positive, the number search answers 500.</summary>
    public int SearchServerErrorTimes { get => Volatile.Read(ref _searchServerErrorTimes); set => Volatile.Write(ref _searchServerErrorTimes, value); }

    /// <summary>While positive, the number search answers slowly (after <see cref="SlowAnswerDelay"/>, or not at all if the client gives up first).</summary>
    public int SearchSlowTimes { get => Volatile.Read(ref _searchSlowTimes); set => Volatile.Write(ref _searchSlowTimes, value); }

    /// <summary>While positive, a purchase answers 429.</summary>
    public int PurchaseRateLimitedTimes { get => Volatile.Read(ref _purchaseRateLimitedTimes); set => Volatile.Write(ref _purchaseRateLimitedTimes, value); }

    /// <summary>While positive, a purchase answers 500.</summary>
    public int PurchaseServerErrorTimes { get => Volatile.Read(ref _purchaseServerErrorTimes); set => Volatile.Write(ref _purchaseServerErrorTimes, value); }

    /// <summary>While positive, a purchase answers slowly (after <see cref="SlowAnswerDelay"/>, or not at all if the client gives up first).</summary>
    public int PurchaseSlowTimes { get => Volatile.Read(ref _purchaseSlowTimes); set => Volatile.Write(ref _purchaseSlowTimes, value); }

    /// <summary>While positive, listing owned numbers answers 500.</summary>
    public int ListServerErrorTimes { get => Volatile.Read(ref _listServerErrorTimes); set => Volatile.Write(ref _listServerErrorTimes, value); }

    /// <summary>AvailablePhoneNumbers/{Country}/Local search over <see cref="FakeTwilioServer.Catalog"/> (owned numbers left out).</summary>
    public async Task SearchAsync(HttpContext ctx, string country, Dictionary<string, string> query)
    {
        if (Interlocked.Decrement(ref _searchRateLimitedTimes) >= 0)
        {
            ctx.Response.Headers.RetryAfter = "1";
            await TwilioJson.ErrorAsync(ctx, 429, 20429, "Too Many Requests");
            return;
        }

        if (Interlocked.Decrement(ref _searchServerErrorTimes) >= 0)
        {
            await TwilioJson.ErrorAsync(ctx, 500, 20500, "Internal Server Error");
            return;
        }

        if (Interlocked.Decrement(ref _searchSlowTimes) >= 0)
        {
            await TwilioJson.DelayQuietlyAsync(SlowAnswerDelay, ctx.RequestAborted);
            if (ctx.RequestAborted.IsCancellationRequested)
            {
                return;
            }
        }

        var pageSize = query.TryGetValue("PageSize", out var ps) ? int.Parse(ps, System.Globalization.CultureInfo.InvariantCulture) : 50;
        var owned = store.PhoneNumbers();

        // Like Twilio, numbers this account already owns are not offered again.
        var matches = FakeTwilioServer.Catalog
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
        await TwilioJson.WriteJsonAsync(ctx, 200, new Dictionary<string, object?>
        {
            ["available_phone_numbers"] = matches,
            ["uri"] = ctx.Request.Path.Value + ctx.Request.QueryString.Value,
        });
    }

    /// <summary>IncomingPhoneNumbers create: 201 with the number, 400 / 21422 for a taken number.</summary>
    public async Task PurchaseAsync(HttpContext ctx, Dictionary<string, string> form)
    {
        if (Interlocked.Decrement(ref _purchaseRateLimitedTimes) >= 0)
        {
            ctx.Response.Headers.RetryAfter = "1";
            await TwilioJson.ErrorAsync(ctx, 429, 20429, "Too Many Requests");
            return;
        }

        if (Interlocked.Decrement(ref _purchaseServerErrorTimes) >= 0)
        {
            await TwilioJson.ErrorAsync(ctx, 500, 20500, "Internal Server Error");
            return;
        }

        if (Interlocked.Decrement(ref _purchaseSlowTimes) >= 0)
        {
            await TwilioJson.DelayQuietlyAsync(SlowAnswerDelay, ctx.RequestAborted);
            if (ctx.RequestAborted.IsCancellationRequested)
            {
                return;
            }
        }

        var phone = form.GetValueOrDefault("PhoneNumber") ?? "";
        if (takenNumbers.ContainsKey(phone))
        {
            await TwilioJson.ErrorAsync(ctx, 400, 21422, "PhoneNumber Requested is not available");
            return;
        }

        var owned = store.Purchase(phone, form.GetValueOrDefault("VoiceUrl"), form.GetValueOrDefault("StatusCallback"));

        await TwilioJson.WriteJsonAsync(ctx, 201, TwilioJson.NumberJson(owned));
    }

    /// <summary>IncomingPhoneNumbers list with v2010 paging (PageSize, Page, PageToken).</summary>
    public async Task ListAsync(HttpContext ctx, Dictionary<string, string> query)
    {
        if (Interlocked.Decrement(ref _listServerErrorTimes) >= 0)
        {
            await TwilioJson.ErrorAsync(ctx, 500, 20500, "Internal Server Error");
            return;
        }

        var pageSize = query.TryGetValue("PageSize", out var ps) ? int.Parse(ps, System.Globalization.CultureInfo.InvariantCulture) : 50;
        var page = query.TryGetValue("Page", out var p) ? int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) : 0;
        if (page > 0 && query.GetValueOrDefault("PageToken") != $"PA{page}")
        {
            await TwilioJson.ErrorAsync(ctx, 400, 20001, "Invalid PageToken");
            return;
        }

        var all = store.All();

        var slice = all.Skip(page * pageSize).Take(pageSize).ToList();
        var basePath = $"/2010-04-01/Accounts/{FakeTwilioServer.AccountSid}/IncomingPhoneNumbers.json";
        var hasNext = (page + 1) * pageSize < all.Count;
        await TwilioJson.WriteJsonAsync(ctx, 200, new Dictionary<string, object?>
        {
            ["end"] = (page * pageSize) + slice.Count - 1,
            ["first_page_uri"] = $"{basePath}?PageSize={pageSize}&Page=0",
            ["incoming_phone_numbers"] = slice.Select(TwilioJson.NumberJson).ToList(),
            ["next_page_uri"] = hasNext ? $"{basePath}?PageSize={pageSize}&Page={page + 1}&PageToken=PA{page + 1}" : null,
            ["page"] = page,
            ["page_size"] = pageSize,
            ["previous_page_uri"] = page > 0 ? $"{basePath}?PageSize={pageSize}&Page={page - 1}&PageToken=PB{page}" : null,
            ["start"] = page * pageSize,
            ["uri"] = ctx.Request.Path.Value + ctx.Request.QueryString.Value,
        });
    }

    /// <summary>IncomingPhoneNumbers/{Sid} update (POST) or delete (DELETE); 404 / 20404 when not owned.</summary>
    public async Task NumberAsync(HttpContext ctx, string method, string sid, Dictionary<string, string> form)
    {
        var owned = store.DeleteOrUpdate(sid, method == "DELETE", form);

        if (owned is null)
        {
            await TwilioJson.ErrorAsync(ctx, 404, 20404, $"The requested resource {ctx.Request.Path} was not found");
        }
        else if (method == "DELETE")
        {
            ctx.Response.StatusCode = 204;
        }
        else
        {
            await TwilioJson.WriteJsonAsync(ctx, 200, TwilioJson.NumberJson(owned));
        }
    }
}
