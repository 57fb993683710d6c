using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Tenancy;
using Portal.Rag.Ingestion;
using Portal.Web.Api;

namespace Portal.Web.Endpoints;

/// <summary>A knowledge source: kind (Faq, File, Url), title, status (Queued, Processing, Ready, Failed), size in bytes, chunk count.</summary>
public sealed record KnowledgeSourceDto(Guid Id, string Kind, string Title, string? SourceName, string? SourceUrl, string Status, string? Error, long SizeBytes, int ChunkCount, DateTimeOffset CreatedAt);

/// <summary>Body of <c>POST /api/v1/knowledge/faqs</c>.</summary>
/// <param name="Question">The question callers ask (up to 500 characters).</param>
/// <param name="Answer">The answer the agent gives (up to 4000 characters).</param>
public sealed record AddFaqRequest(string? Question, string? Answer);

/// <summary>Where an added source stands: its id and whether identical content was already there.</summary>
public sealed record KnowledgeAddedDto(Guid Id, bool Duplicate);

/// <summary>The agent's knowledge: list sources, add an FAQ (ready at once), upload a file (indexed by a background job).</summary>
public static class KnowledgeEndpoints
{
    /// <summary>Maps the <c>/api/v1/knowledge</c> group.</summary>
    public static IEndpointRouteBuilder MapKnowledgeEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/knowledge").WithTags("Knowledge").RequireAuthorization(Policies.BusinessUser);
        group.MapGet("/sources", ListAsync).WithSummary("List knowledge sources")
            .WithDescription("FAQs, files and websites, newest first. Filters: `kind` (faq, file, url), `status`. Paged with `limit` and `cursor`.");
        group.MapPost("/faqs", AddFaqAsync).WithIdempotency().WithSummary("Add an FAQ")
            .WithDescription("Adds a question and its answer; the agent can use it on the next turn.");
        group.MapPost("/files", UploadAsync).WithIdempotency().WithSummary("Upload a file")
            .WithDescription("multipart/form-data with one `file` (PDF, DOCX, XLSX, CSV, text or Markdown). Answers 202: the file is indexed in the background; poll the source's status.")
            .DisableAntiforgery();
        return app;
    }

    private static async Task<Results<Ok<ApiPage<KnowledgeSourceDto>>, ValidationProblem>> ListAsync(KnowledgeService knowledge, string? kind, string? status, int? limit, string? cursor, CancellationToken ct)
    {
        var errors = ApiCursor.Validate(limit, cursor, out var take, out var after) ?? [];
        KnowledgeKind? k = null;
        KnowledgeStatus? s = null;
        if (!string.IsNullOrEmpty(kind))
        {
            if (Enum.TryParse<KnowledgeKind>(kind, true, out var parsed) && Enum.IsDefined(parsed))
            {
                k = parsed;
            }
            else
            {
                errors["kind"] = ["kind must be faq, file or url."];
            }
        }

        if (!string.IsNullOrEmpty(status))
        {
            if (Enum.TryParse<KnowledgeStatus>(status, true, out var parsed) && Enum.IsDefined(parsed))
            {
                s = parsed;
            }
            else
            {
                errors["status"] = ["status must be queued, processing, ready or failed."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var rows = await knowledge.ListSourcesAfterAsync(k, s, take + 1, after, ct);
        return TypedResults.Ok(ApiCursor.Page(rows, take, d => d.CreatedAt, d => d.Id,
            d => new KnowledgeSourceDto(d.Id, d.Kind.ToString(), d.Title, d.SourceName, d.SourceUrl, d.Status.ToString(), d.Error, d.SizeBytes, d.ChunkCount, d.CreatedAt)));
    }

    private static async Task<Results<Created<KnowledgeAddedDto>, ValidationProblem>> AddFaqAsync(AddFaqRequest? request, KnowledgeService knowledge, ITenantContext tenant, CancellationToken ct)
    {
        var result = await knowledge.SaveFaqAsync(tenant.TenantId!.Value, null, request?.Question ?? "", request?.Answer ?? "", null, ct);
        if (result.DocumentId is not { } id)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["faq"] = [result.Error ?? "The FAQ could not be added."] });
        }

        return TypedResults.Created($"/api/v1/knowledge/sources/{id}", new KnowledgeAddedDto(id, result.Duplicate));
    }

    private static async Task<Results<Accepted<KnowledgeAddedDto>, ValidationProblem>> UploadAsync(IFormFile? file, KnowledgeService knowledge, ITenantContext tenant, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["Send one non-empty file as multipart/form-data field 'file'."] });
        }

        await using var stream = file.OpenReadStream();
        var result = await knowledge.UploadAsync(tenant.TenantId!.Value, file.FileName, stream, null, ct);
        if (result.DocumentId is not { } id)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [result.Error ?? "The file could not be added."] });
        }

        return TypedResults.Accepted($"/api/v1/knowledge/sources/{id}", new KnowledgeAddedDto(id, result.Duplicate));
    }
}
