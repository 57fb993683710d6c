using System.Text.Json;
using Portal.Data.Text;

namespace Portal.Web.Hardening;

/// <summary>
/// The API edge of <see cref="InputText"/>: a request to <c>/api</c> whose query string or JSON body (RFC 8259) holds a
/// control character in any string (an escaped <c>\u0000</c> included) is answered 400 with a validation problem naming
/// the field, before any endpoint runs, so nothing is changed. JSON bodies are read up to <see cref="MaxJsonBytes"/>
/// (a larger one is 413); a body that is not valid JSON is left for the endpoint to refuse.
/// </summary>
public static class TextInputGuard
{
    /// <summary>Largest JSON body an API request may send, bytes (1 MiB).</summary>
    public const int MaxJsonBytes = 1024 * 1024;

    /// <summary>Adds the check for <c>/api</c> requests.</summary>
    public static IApplicationBuilder UseTextInputGuard(this IApplicationBuilder app) => app.UseWhen(
        context => context.Request.Path.StartsWithSegments("/api"),
        branch => branch.Use(async (context, next) =>
        {
            var error = QueryError(context.Request) ?? await BodyErrorAsync(context);
            if (error is { } e)
            {
                await Results.ValidationProblem(new Dictionary<string, string[]> { [e.Field] = [e.Message] }).ExecuteAsync(context);
                return;
            }

            await next(context);
        }));

    private static (string Field, string Message)? QueryError(HttpRequest request)
    {
        foreach (var (key, values) in request.Query)
        {
            foreach (var value in values)
            {
                if (InputText.ControlCharacterError(value, key) is { } message)
                {
                    return (key, message);
                }
            }
        }

        return null;
    }

    private static async Task<(string Field, string Message)?> BodyErrorAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.HasJsonContentType() || request.ContentLength == 0)
        {
            return null;
        }

        if (request.ContentLength > MaxJsonBytes)
        {
            throw new BadHttpRequestException("The JSON body is too large.", StatusCodes.Status413PayloadTooLarge);
        }

        request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: MaxJsonBytes);
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        request.Body.Position = 0;
        try
        {
            var reader = new Utf8JsonReader(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            var field = "body";
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.PropertyName)
                {
                    field = reader.GetString() ?? field;
                }

                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName
                    && InputText.ControlCharacterError(reader.GetString(), field) is { } message)
                {
                    return (field, message);
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the endpoint's own binding answers 400.
        }

        return null;
    }
}
