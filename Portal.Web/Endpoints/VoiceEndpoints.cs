using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Voice.SpeechToText;
using Portal.Voice.TextToSpeech;

namespace Portal.Web.Endpoints;

/// <summary>Voices of this deployment's text-to-speech providers (only those that speak, <see cref="VoiceCatalog"/>) and previews of them.</summary>
public static class VoiceEndpoints
{
    /// <summary>Maps <c>GET /api/v1/voices[?provider=]</c> and <c>GET /api/v1/voices/preview?voice=&amp;text=[&amp;provider=]</c>.</summary>
    public static IEndpointRouteBuilder MapVoiceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/voices").WithTags("Voices").RequireAuthorization();
        group.MapGet("", ListAsync).WithSummary("List the voices the agent can speak with");
        group.MapGet("/preview", PreviewAsync).WithSummary("Preview a voice")
            .WithDescription("Synthesizes a short text with a voice and returns the audio.")
            .Produces<byte[]>(StatusCodes.Status200OK, "audio/wav", "audio/mpeg").ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    /// <summary>The voices of <paramref name="provider"/> (a <see cref="SpeechProviders"/> name; absent or not offered here: the default) that speak.</summary>
    private static async Task<Results<Ok<IReadOnlyList<VoiceInfo>>, ProblemHttpResult>> ListAsync(VoiceCatalog catalog, string? provider, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(await catalog.ListAsync(provider, ct));
        }
        catch (SpeechProviderException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>A WAV of <paramref name="text"/> (default: a greeting) in <paramref name="voice"/>: 400 for a voice the provider does not offer, 503 when it fails.</summary>
    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> PreviewAsync(VoiceCatalog catalog, string? voice, string? text, string? provider, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(voice))
        {
            return TypedResults.Problem("Choose a voice.", statusCode: StatusCodes.Status400BadRequest);
        }

        try
        {
            var audio = await catalog.PreviewAsync(provider, voice, text, ct);
            return TypedResults.File(audio.Audio, audio.ContentType);
        }
        catch (ArgumentException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest);
        }
        catch (SpeechProviderException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
