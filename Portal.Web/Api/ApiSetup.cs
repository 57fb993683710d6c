using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Portal.Web.Endpoints;
using Scalar.AspNetCore;

namespace Portal.Web.Api;

/// <summary>
/// The public REST API v1: its OpenAPI document (<c>/openapi/v1.json</c>, Microsoft.AspNetCore.OpenApi,
/// https://learn.microsoft.com/aspnet/core/fundamentals/openapi/aspnetcore-openapi), the Scalar reference page at
/// <c>/api/reference</c> (https://github.com/scalar/scalar/tree/main/integrations/aspnetcore), <c>Idempotency-Key</c>
/// handling and the resource groups. Authentication (API keys), scopes and per-key rate limits are in
/// <see cref="Accounts.AccountsSetup"/>.
/// </summary>
public static class ApiSetup
{
    /// <summary>The OpenAPI document name (served at <c>/openapi/v1.json</c>).</summary>
    public const string DocumentName = "v1";

    /// <summary>Path of the API reference page.</summary>
    public const string ReferencePath = "/api/reference";

    /// <summary>Adds the OpenAPI document generator for <c>/api/v1</c>.</summary>
    public static WebApplicationBuilder AddPortalApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(DocumentName, options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Portal REST API",
                    Version = "v1",
                    Description = "Your AI receptionist's conversations, calls, bookings, business settings, knowledge, agent and numbers. "
                        + "Authenticate with `Authorization: Bearer <API key>` (Settings → API keys). A **read** key may GET; a **write** key may POST, PUT and DELETE. "
                        + "Lists are paged with `limit` and the opaque `cursor` from the previous page's `next_cursor`. Errors are RFC 9457 problem details. "
                        + "POSTs accept an `Idempotency-Key` header: a retry with the same key and body returns the first response. "
                        + "Each key has a request budget per window; over it the API answers 429 with `Retry-After` (seconds).",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["ApiKey"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An API key from Settings → API keys (pk_…), sent as a Bearer token (RFC 6750).",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("ApiKey", document)] = [] }];
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                operation.Responses ??= new OpenApiResponses();
                operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No API key, or an unknown or revoked one." });
                operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The key lacks the scope this method needs (read for GET, write otherwise)." });
                operation.Responses.TryAdd("429", new OpenApiResponse { Description = "The key's request budget is used up; retry after the seconds in the Retry-After header." });
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IdempotentAttribute>().Any())
                {
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = IdempotencyExtensions.Header,
                        In = ParameterLocation.Header,
                        Required = false,
                        Description = "Any unique string (up to 255 characters), e.g. a UUID. A retry with the same key and body within 24 hours returns the first response "
                            + "(header Idempotent-Replayed: true); the same key with a different body is refused with 422.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 255 },
                    });
                    operation.Responses.TryAdd("409", new OpenApiResponse { Description = "A request with this Idempotency-Key is still in progress." });
                    operation.Responses.TryAdd("422", new OpenApiResponse { Description = "This Idempotency-Key was used with a different request." });
                }

                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>
    /// Maps the document, the reference page and the API's resource groups, and adds the <c>Idempotency-Key</c> middleware
    /// (after authentication, authorization and tenant resolution, which Program.cs adds before this call).
    /// </summary>
    public static WebApplication MapPortalApi(this WebApplication app)
    {
        app.UseMiddleware<IdempotencyMiddleware>();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference(ReferencePath, options => options
            .WithTitle("Portal REST API reference")
            .AddDocument(DocumentName, "Portal REST API v1", "/openapi/v1.json")
            .AddPreferredSecuritySchemes("ApiKey")
            .DisableTelemetry()
            .DisableDefaultFonts()).AllowAnonymous();
        app.MapCallEndpoints();
        app.MapBusinessEndpoints();
        app.MapKnowledgeEndpoints();
        app.MapAgentEndpoints();
        app.MapNumberEndpoints();
        return app;
    }
}
