using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using Anthropic;
using Anthropic.Core;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;

namespace Portal.Llm.Providers;

/// <summary>
/// Builds the Microsoft.Extensions.AI <see cref="IChatClient"/> of a provider and model, cached per
/// (provider, base URL, key, model) for the process lifetime (the vendor SDK clients are
/// thread-safe and hold connection pools). OpenAI and OpenAI-compatible servers go through the
/// <c>OpenAI</c> SDK and <c>Microsoft.Extensions.AI.OpenAI</c>'s <c>AsIChatClient</c>; Anthropic
/// through the <c>Anthropic</c> SDK's own <c>AsIChatClient</c> (Messages API with SSE streaming).
/// The SDKs' own retries are off: retries are decided by <see cref="Engine.LlmResilience"/>, which
/// knows whether anything was streamed yet.
/// </summary>
public sealed class ChatClientFactory
{
    private readonly ConcurrentDictionary<(string Provider, string? BaseUrl, string? Key, string Model), IChatClient> _clients = new();

    /// <summary>
    /// The client for <paramref name="settings"/> and <paramref name="model"/>. Throws
    /// <see cref="InvalidOperationException"/> when the provider is none or unknown, or
    /// openai-compatible has no base URL.
    /// </summary>
    public IChatClient Get(EffectiveLlmSettings settings, string model)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        return _clients.GetOrAdd((settings.Provider, settings.BaseUrl, settings.ApiKey, model), static k => Create(k.Provider, k.BaseUrl, k.Key, k.Model));
    }

    private static IChatClient Create(string provider, string? baseUrl, string? key, string model)
    {
        switch (provider)
        {
            case LlmProviders.OpenAI:
            case LlmProviders.OpenAICompatible:
            {
                if (provider == LlmProviders.OpenAICompatible && string.IsNullOrWhiteSpace(baseUrl))
                {
                    throw new InvalidOperationException("An OpenAI-compatible provider needs Llm:BaseUrl.");
                }

                var options = new OpenAIClientOptions { RetryPolicy = new ClientRetryPolicy(maxRetries: 0), NetworkTimeout = Timeout.InfiniteTimeSpan };
                if (!string.IsNullOrWhiteSpace(baseUrl))
                {
                    options.Endpoint = new Uri(baseUrl);
                }

                // Local servers (Ollama, LM Studio) accept any key; the SDK requires a non-empty one.
                var credential = new ApiKeyCredential(string.IsNullOrEmpty(key) ? "unused" : key);
                return new ChatClient(model, credential, options).AsIChatClient();
            }

            case LlmProviders.Anthropic:
            {
                // Options through the constructor: the key given is the only credential (null: none; the
                // SDK then reads no environment variable or profile).
                var options = new ClientOptions { ApiKey = key, MaxRetries = 0, Timeout = Timeout.InfiniteTimeSpan };
                if (!string.IsNullOrWhiteSpace(baseUrl))
                {
                    options.BaseUrl = baseUrl.TrimEnd('/');
                }

                var client = new AnthropicClient(options);
                return client.AsIChatClient(model);
            }

            default:
                throw new InvalidOperationException($"No language-model provider \"{provider}\".");
        }
    }
}
