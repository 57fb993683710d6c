using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Data.Entities;
using Portal.Domain.Agents;
using Portal.Domain.Numbers;

namespace Portal.Web.Endpoints;

/// <summary>The agent: name, greeting, personality (Friendly, Professional, Casual), instructions, transfer number (E.164), language, voice, whether it is live and records voice messages.</summary>
public sealed record AgentDto(Guid Id, string Name, string Greeting, string Personality, string? CustomInstructions, string? TransferNumber, string Language, string VoiceId, bool IsLive, bool RecordingEnabled);

/// <summary>Body of <c>PUT /api/v1/agent</c>: only the fields present change.</summary>
/// <param name="Name">1-60 characters.</param>
/// <param name="Greeting">1-400 characters; may use {businessName} and {agentName}.</param>
/// <param name="Personality">Friendly, Professional or Casual.</param>
/// <param name="CustomInstructions">Up to 4000 characters; an empty string clears them.</param>
/// <param name="TransferNumber">Where "speak to a human" goes (a phone number); an empty string clears it.</param>
/// <param name="RecordingEnabled">Whether calls may record voice messages (with consent where the law asks for it).</param>
public sealed record UpdateAgentRequest(string? Name, string? Greeting, string? Personality, string? CustomInstructions, string? TransferNumber, bool? RecordingEnabled);

/// <summary>
/// The business's agent: read and change its persona through <see cref="AgentSettingsService"/> (the persona the
/// Agent page edits and the agent speaks with). Changes apply from the next conversation turn.
/// </summary>
public static class AgentEndpoints
{
    /// <summary>Longest agent name (the Agent page's limit).</summary>
    public const int NameMaxLength = AgentSettingsService.NameMaxLength;

    /// <summary>Maps <c>/api/v1/agent</c>.</summary>
    public static IEndpointRouteBuilder MapAgentEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/agent").WithTags("Agent").RequireAuthorization(Policies.BusinessUser);
        group.MapGet("", GetAsync).WithSummary("Get the agent");
        group.MapPut("", UpdateAsync).WithSummary("Update the agent").WithDescription("Changes the fields present in the body; validation errors change nothing.");
        return app;
    }

    private static async Task<Results<Ok<AgentDto>, NotFound>> GetAsync(AgentSettingsService agents, CancellationToken ct) =>
        (await agents.GetAsync(ct)).Persona is { } agent ? TypedResults.Ok(ToDto(agent)) : TypedResults.NotFound();

    private static async Task<Results<Ok<AgentDto>, NotFound, ValidationProblem>> UpdateAsync(UpdateAgentRequest? request, AgentSettingsService agents, CancellationToken ct)
    {
        request ??= new UpdateAgentRequest(null, null, null, null, null, null);
        var errors = new Dictionary<string, string[]>();
        if (request.Name is { } name && name.Trim().Length is 0 or > NameMaxLength)
        {
            errors["name"] = [$"name must be 1 to {NameMaxLength} characters."];
        }

        if (request.Greeting is { } greeting && greeting.Trim().Length is 0 or > AgentPersona.GreetingMaxLength)
        {
            errors["greeting"] = [$"greeting must be 1 to {AgentPersona.GreetingMaxLength} characters."];
        }

        Personality? personality = null;
        if (request.Personality is { } p)
        {
            if (Enum.TryParse<Personality>(p, true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(p, out _))
            {
                personality = parsed;
            }
            else
            {
                errors["personality"] = ["personality must be Friendly, Professional or Casual."];
            }
        }

        if (request.CustomInstructions is { Length: > AgentPersona.InstructionsMaxLength })
        {
            errors["customInstructions"] = [$"customInstructions can be up to {AgentPersona.InstructionsMaxLength} characters."];
        }

        if (request.TransferNumber is { Length: > 0 } number && E164.TryNormalize(number) is null)
        {
            errors["transferNumber"] = ["transferNumber must be a valid phone number, such as +12125550123."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        try
        {
            // The service bumps the facts version and refreshes the agent's profile itself.
            var saved = await agents.UpdateAsync(
                new AgentSettingsPatch(request.Name, request.Greeting, personality, request.CustomInstructions, request.TransferNumber, request.RecordingEnabled), ct);
            return saved is null ? TypedResults.NotFound() : TypedResults.Ok(ToDto(saved));
        }
        catch (ArgumentException ex)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [""] = [ex.Message] });
        }
    }

    private static AgentDto ToDto(AgentPersona a) =>
        new(a.Id, a.Name, a.Greeting, a.Personality.ToString(), a.CustomInstructions, a.TransferNumber, a.Language, a.VoiceId, a.IsLive, a.RecordingEnabled);
}
