using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Voice.TextToSpeech;

namespace Portal.Web.Endpoints;

/// <summary>Voices of the active text-to-speech provider and previews of them.</summary>
public static class VoiceEndpoints
{
    /// <summary>Maps <c>GET /api/v1/voices</c> and <c>GET /api/v1/voices/preview</c>.</summary>
    public static IEndpointRouteBuilder MapVoiceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/voices").WithTags("Voices").RequireAuthorization();
        group.MapGet("", ListAsync);
        group.MapGet("/preview", PreviewAsync);
        return app;
    }

    private static async Task<Ok<IReadOnlyList<VoiceInfo>>> ListAsync(ITextToSpeech tts, CancellationToken ct) =>
        TypedResults.Ok(await tts.ListVoicesAsync(ct));

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> PreviewAsync(ITextToSpeech tts, string? voice, string? text, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(voice))
        {
            return TypedResults.Problem("Choose a voice.", statusCode: StatusCodes.Status400BadRequest);
        }

        try
        {
            var audio = await tts.SynthesizeAsync(string.IsNullOrWhiteSpace(text) ? "Hello! Thanks for calling. How can I help you today?" : text, voice, ct);
            return TypedResults.File(audio.Audio, audio.ContentType);
        }
        catch (ArgumentException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest);
        }
        catch (InvalidOperationException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
