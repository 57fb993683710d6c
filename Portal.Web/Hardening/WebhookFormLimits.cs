using Microsoft.AspNetCore.Http.Features;

namespace Portal.Web.Hardening;

/// <summary>
/// Tight request limits on the telephony webhooks (<c>/twilio</c>): Twilio posts a few dozen short
/// <c>application/x-www-form-urlencoded</c> fields (https://www.twilio.com/docs/usage/webhooks/webhooks-overview), so a body
/// over <see cref="MaxBodyBytes"/> is refused with 413 and a form with more than <see cref="MaxFields"/> fields or a value over
/// <see cref="MaxValueBytes"/> with 400 (by <see cref="ProblemExceptionHandler"/>), instead of reading megabytes into memory.
/// Applied by path, ahead of the webhook handlers, which are unchanged.
/// </summary>
public static class WebhookFormLimits
{
    /// <summary>Largest webhook body, bytes (64 KiB).</summary>
    public const long MaxBodyBytes = 64 * 1024;

    /// <summary>Most form fields in one webhook.</summary>
    public const int MaxFields = 200;

    /// <summary>Longest form value, bytes (16 KiB: a long speech transcript fits).</summary>
    public const int MaxValueBytes = 16 * 1024;

    private static readonly FormOptions Options = new()
    {
        ValueCountLimit = MaxFields,
        ValueLengthLimit = MaxValueBytes,
        KeyLengthLimit = 256,
        BufferBodyLengthLimit = MaxBodyBytes,
        MultipartBodyLengthLimit = MaxBodyBytes,
    };

    /// <summary>Applies the limits to requests under <c>/twilio</c>.</summary>
    public static IApplicationBuilder UseWebhookFormLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/twilio"))
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = MaxBodyBytes;
            }

            if (context.Request.ContentLength > MaxBodyBytes)
            {
                throw new BadHttpRequestException("The webhook body is too large.", StatusCodes.Status413PayloadTooLarge);
            }

            if (context.Request.HasFormContentType)
            {
                // Read the form here, under these limits, so an oversized one is refused before any handler runs;
                // the handler gets the same parsed form from the feature.
                var form = new FormFeature(context.Request, Options);
                context.Features.Set<IFormFeature>(form);
                await form.ReadFormAsync(context.RequestAborted);
            }
        }

        await next(context);
    });
}
