using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Tenancy;
using Portal.Web.Accounts;

namespace Portal.Web.Api;

/// <summary>Endpoint metadata: this POST honours <c>Idempotency-Key</c> (added by <see cref="IdempotencyExtensions.WithIdempotency"/>).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class IdempotentAttribute : Attribute;

/// <summary>Marks endpoints as idempotent POSTs.</summary>
public static class IdempotencyExtensions
{
    /// <summary>The request header (IETF draft "The Idempotency-Key HTTP Header Field", https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/).</summary>
    public const string Header = "Idempotency-Key";

    /// <summary>Marks <paramref name="builder"/>'s endpoints as honouring <see cref="Header"/>; documented in OpenAPI.</summary>
    public static TBuilder WithIdempotency<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new IdempotentAttribute());
}

/// <summary>
/// <c>Idempotency-Key</c> for the REST API's POSTs (IETF draft "The Idempotency-Key HTTP Header Field",
/// https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/): the first request with a key stores its
/// response for 24 hours per business and caller (API key or user); a retry with the same key and the same method, path
/// and body gets that response again (marked <c>Idempotent-Replayed: true</c>) without running the handler; the same key
/// with another body gets 422; a retry while the first is still running gets 409. Server errors (5xx) are not stored, so
/// the client may retry them.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, ILogger<IdempotencyMiddleware> logger)
{
    /// <summary>How long a stored response is replayed.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary><see cref="IdempotencyRecord.StatusCode"/> of a request still running.</summary>
    private const int InProgress = 0;

    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context, ITenantContext tenant, IDbContextFactory<PortalDbContext> factory, TimeProvider clock)
    {
        var key = context.Request.Headers[IdempotencyExtensions.Header].ToString();
        if (key.Length == 0 || !HttpMethods.IsPost(context.Request.Method) || context.GetEndpoint()?.Metadata.GetMetadata<IdempotentAttribute>() is null
            || tenant.TenantId is not { } tenantId || Principal(context.User) is not { } principal)
        {
            await next(context);
            return;
        }

        if (key.Length > IdempotencyRecord.KeyMaxLength)
        {
            await Results.ValidationProblem(new Dictionary<string, string[]> { [IdempotencyExtensions.Header] = [$"The key can be up to {IdempotencyRecord.KeyMaxLength} characters."] })
                .ExecuteAsync(context);
            return;
        }

        var ct = context.RequestAborted;
        var hash = await HashRequestAsync(context.Request, ct);
        var now = clock.GetUtcNow();
        await using var db = await factory.CreateDbContextAsync(ct);
        var existing = await db.IdempotencyRecords.FirstOrDefaultAsync(r => r.Principal == principal && r.Key == key, ct);
        if (existing is not null && existing.ExpiresAt <= now)
        {
            db.IdempotencyRecords.Remove(existing);
            await db.SaveChangesAsync(ct);
            existing = null;
        }

        if (existing is not null)
        {
            await AnswerExistingAsync(context, existing, hash);
            return;
        }

        var record = new IdempotencyRecord
        {
            TenantId = tenantId,
            Principal = principal,
            Key = key,
            RequestHash = hash,
            Path = Truncate(context.Request.Path.Value ?? "", IdempotencyRecord.PathMaxLength),
            StatusCode = InProgress,
            ExpiresAt = now + Retention,
        };
        db.IdempotencyRecords.Add(record);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            // A concurrent request with the same key claimed it first.
            db.ChangeTracker.Clear();
            var winner = await db.IdempotencyRecords.AsNoTracking().FirstAsync(r => r.Principal == principal && r.Key == key, ct);
            await AnswerExistingAsync(context, winner, hash);
            return;
        }

        var original = context.Response.Body;
        await using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        var stored = false;
        try
        {
            await next(context);
            if (context.Response.StatusCode < 500)
            {
                record.StatusCode = context.Response.StatusCode;
                record.ContentType = context.Response.ContentType;
                record.Location = context.Response.Headers.Location.ToString() is { Length: > 0 } location ? Truncate(location, IdempotencyRecord.PathMaxLength) : null;
                record.Body = buffer.ToArray();
                await db.SaveChangesAsync(CancellationToken.None);
                stored = true;
            }
        }
        finally
        {
            context.Response.Body = original;
            if (!stored)
            {
                // Not stored (a server error or an exception): free the key so the client can retry.
                await db.IdempotencyRecords.Where(r => r.Id == record.Id).ExecuteDeleteAsync(CancellationToken.None);
            }

            buffer.Position = 0;
            if (buffer.Length > 0)
            {
                await buffer.CopyToAsync(original, CancellationToken.None);
            }
        }
    }

    private async Task AnswerExistingAsync(HttpContext context, IdempotencyRecord existing, byte[] hash)
    {
        if (!CryptographicOperations.FixedTimeEquals(existing.RequestHash, hash))
        {
            await Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency key reused",
                detail: "This Idempotency-Key was already used with a different request. Use a new key for a new request.").ExecuteAsync(context);
            return;
        }

        if (existing.StatusCode == InProgress)
        {
            await Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Request in progress",
                detail: "A request with this Idempotency-Key is still being processed. Retry shortly.").ExecuteAsync(context);
            return;
        }

        logger.LogInformation("Replayed idempotent response {IdempotencyKey} ({StatusCode})", existing.Key, existing.StatusCode);
        context.Response.StatusCode = existing.StatusCode;
        context.Response.Headers["Idempotent-Replayed"] = "true";
        if (existing.ContentType is not null)
        {
            context.Response.ContentType = existing.ContentType;
        }

        if (existing.Location is not null)
        {
            context.Response.Headers.Location = existing.Location;
        }

        await context.Response.Body.WriteAsync(existing.Body, context.RequestAborted);
    }

    private static string? Principal(ClaimsPrincipal user) =>
        ApiKeyAuthenticationHandler.KeyIdOf(user) is { } keyId ? "key:" + keyId
        : user.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId ? "user:" + userId
        : null;

    private static async Task<byte[]> HashRequestAsync(HttpRequest request, CancellationToken ct)
    {
        request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(request.Method + " " + request.Path + request.QueryString + "\n"));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            sha.AppendData(chunk, 0, read);
        }

        request.Body.Position = 0;
        return sha.GetHashAndReset();
    }

    private static string Truncate(string text, int max) => text.Length > max ? text[..max] : text;
}
