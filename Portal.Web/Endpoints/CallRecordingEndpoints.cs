using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Voice.Calls;

namespace Portal.Web.Endpoints;

/// <summary>Voice messages recorded on calls, played on the call page. Tenant-scoped by the signed-in user.</summary>
public static class CallRecordingEndpoints
{
    /// <summary>Route of one recording's audio (<c>{0}</c> = recording id).</summary>
    public const string AudioRoute = "/api/v1/recordings/{0}/audio";

    /// <summary>Maps <c>GET /api/v1/recordings/{id}/audio</c>.</summary>
    public static IEndpointRouteBuilder MapCallRecordingEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/recordings").WithTags("Calls").RequireAuthorization(Policies.BusinessUser);
        group.MapGet("/{id:guid}/audio", GetAudioAsync).WithSummary("Download a recording's audio")
            .WithDescription("The WAV audio of a call recording; range requests are supported.")
            .Produces<byte[]>(StatusCodes.Status200OK, "audio/wav");
        return app;
    }

    /// <summary>Streams the recording (WAV, range requests allowed so the player can seek); 404 when it is not the tenant's.</summary>
    private static async Task<Results<FileStreamHttpResult, NotFound>> GetAudioAsync(Guid id, CallRecordingStore recordings, CancellationToken ct)
    {
        var content = await recordings.OpenAsync(id, ct);
        return content is null
            ? TypedResults.NotFound()
            : TypedResults.Stream(content.Audio, content.ContentType, fileDownloadName: null, enableRangeProcessing: true);
    }
}
