using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Portal.Web.Hardening;

/// <summary>
/// The one <see cref="IExceptionHandler"/>: an unhandled exception on an API, webhook or health request becomes an RFC 9457
/// problem document (https://www.rfc-editor.org/rfc/rfc9457) with a status and a trace id, and nothing of the exception
/// (no message, type, stack or source path). A request the server refused as malformed or too large
/// (<see cref="BadHttpRequestException"/>: body over the size limit 413, form over its field limits 400) keeps its status.
/// Page navigations are left to the error page. The exception is logged in full, server-side only.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var request = httpContext.Request;
        var status = exception switch
        {
            BadHttpRequestException bad => bad.StatusCode,
            // FormReader's count and length limits (FormOptions) throw InvalidDataException.
            InvalidDataException when request.HasFormContentType => StatusCodes.Status400BadRequest,
            _ => StatusCodes.Status500InternalServerError,
        };

        var isPage = HttpMethods.IsGet(request.Method) && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase)
            && !IsMachinePath(request.Path);
        if (isPage && status == StatusCodes.Status500InternalServerError)
        {
            return false;
        }

        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled exception on {Method} {Path}", request.Method, request.Path);
        }
        else
        {
            logger.LogInformation("Refused {Method} {Path} with {Status}: {Reason}", request.Method, request.Path, status, exception.Message);
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = null, // never serialized: no internals leave the server
            ProblemDetails = new ProblemDetails
            {
                Status = status,
                Title = status switch
                {
                    StatusCodes.Status413PayloadTooLarge => "The request is too large.",
                    StatusCodes.Status400BadRequest => "The request is malformed or has too many fields.",
                    >= 500 => "Something went wrong on our side. Try again; if it keeps failing, contact support.",
                    _ => "The request could not be processed.",
                },
            },
        });
    }

    /// <summary>Paths called by programs rather than people (API, telephony webhooks, health, job dashboard).</summary>
    public static bool IsMachinePath(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/twilio") || path.StartsWithSegments("/health");
}
