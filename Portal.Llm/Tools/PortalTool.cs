using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Portal.Llm.Tools;

/// <summary>
/// A hand-written <see cref="AIFunction"/>: a name, a description, a JSON Schema (draft 2020-12
/// subset the providers accept: https://platform.openai.com/docs/guides/function-calling) and a
/// handler that receives the model's arguments and returns a JSON string for the model.
/// </summary>
internal sealed class PortalTool(string name, string description, JsonElement schema, Func<ToolArguments, CancellationToken, Task<string>> handler) : AIFunction
{
    /// <inheritdoc />
    public override string Name => name;

    /// <inheritdoc />
    public override string Description => description;

    /// <inheritdoc />
    public override JsonElement JsonSchema => schema;

    /// <inheritdoc />
    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
        await handler(new ToolArguments(arguments), cancellationToken);

    /// <summary>Parses a schema literal once (at type initialization of the tool set).</summary>
    public static JsonElement Schema(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }
}

/// <summary>Typed reads of a model's tool arguments (values arrive as <see cref="JsonElement"/> or CLR primitives).</summary>
internal sealed class ToolArguments(IEnumerable<KeyValuePair<string, object?>> values)
{
    private readonly Dictionary<string, object?> _values = values.ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);

    /// <summary>A trimmed non-empty string, or null.</summary>
    public string? String(string name)
    {
        if (!_values.TryGetValue(name, out var value) || value is null)
        {
            return null;
        }

        var text = value switch
        {
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
            JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
            JsonElement e => e.GetRawText(),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    /// <summary>A boolean (true, "true"), false when absent.</summary>
    public bool Bool(string name) => _values.TryGetValue(name, out var value) && value switch
    {
        JsonElement { ValueKind: JsonValueKind.True } => true,
        JsonElement { ValueKind: JsonValueKind.String } e => string.Equals(e.GetString(), "true", StringComparison.OrdinalIgnoreCase),
        bool b => b,
        string s => string.Equals(s, "true", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };
}
