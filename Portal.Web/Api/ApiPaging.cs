using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace Portal.Web.Api;

/// <summary>
/// One page of a list: <see cref="Data"/> and, when more follow, <see cref="NextCursor"/> to pass back as
/// <c>?cursor=</c> with the same filters (keyset pagination: stable while rows are added).
/// </summary>
/// <typeparam name="T">Item type.</typeparam>
/// <param name="Data">The items, in the list's order.</param>
/// <param name="NextCursor">Opaque cursor of the next page, or null on the last page.</param>
public sealed record ApiPage<T>(IReadOnlyList<T> Data, [property: JsonPropertyName("next_cursor")] string? NextCursor);

/// <summary>
/// Opaque list cursors: base64url of the last item's sort time (UTC ticks) and id, so the next page starts strictly
/// after it. Clients must not build or parse them.
/// </summary>
public static class ApiCursor
{
    /// <summary>Default page size.</summary>
    public const int DefaultLimit = 50;

    /// <summary>Largest page size.</summary>
    public const int MaxLimit = 200;

    /// <summary>The cursor after an item sorted at <paramref name="at"/> with id <paramref name="id"/>.</summary>
    public static string Encode(DateTimeOffset at, Guid id) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(at.UtcTicks.ToString(CultureInfo.InvariantCulture) + "_" + id.ToString("N")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Reads a cursor; false when it is not one this API issued.</summary>
    public static bool TryDecode(string cursor, out DateTimeOffset at, out Guid id)
    {
        at = default;
        id = default;
        try
        {
            var b64 = cursor.Replace('-', '+').Replace('_', '/');
            b64 += new string('=', (4 - (b64.Length % 4)) % 4);
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(b64)).Split('_');
            if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || !Guid.TryParseExact(parts[1], "N", out id)
                || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
            {
                return false;
            }

            at = new DateTimeOffset(ticks, TimeSpan.Zero);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// Checks <c>limit</c> and <c>cursor</c>: null errors when both are fine (limit defaulted), else the field errors for a
    /// 400 validation problem.
    /// </summary>
    public static Dictionary<string, string[]>? Validate(int? limit, string? cursor, out int take, out (DateTimeOffset At, Guid Id)? after)
    {
        take = limit ?? DefaultLimit;
        after = null;
        var errors = new Dictionary<string, string[]>();
        if (take is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"limit must be between 1 and {MaxLimit}."];
        }

        if (!string.IsNullOrEmpty(cursor))
        {
            if (TryDecode(cursor, out var at, out var id))
            {
                after = (at, id);
            }
            else
            {
                errors["cursor"] = ["cursor is not a cursor this API returned."];
            }
        }

        return errors.Count == 0 ? null : errors;
    }

    /// <summary>Builds the page from up to <paramref name="take"/> + 1 rows (the extra row only says another page exists).</summary>
    public static ApiPage<TOut> Page<TRow, TOut>(IReadOnlyList<TRow> rows, int take, Func<TRow, DateTimeOffset> sortKey, Func<TRow, Guid> idOf, Func<TRow, TOut> map)
    {
        var items = rows.Take(take).ToList();
        var next = rows.Count > take && items.Count > 0 ? Encode(sortKey(items[^1]), idOf(items[^1])) : null;
        return new ApiPage<TOut>(items.Select(map).ToList(), next);
    }
}
