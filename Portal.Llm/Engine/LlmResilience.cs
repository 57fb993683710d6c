using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Portal.Llm.Engine;

/// <summary>Thrown inside a model request when no update arrived within <see cref="LlmOptions.TimeToFirstTokenMs"/>.</summary>
public sealed class TimeToFirstTokenException(int milliseconds)
    : TimeoutException($"No response from the language model within {milliseconds} ms.")
{
    /// <summary>The limit that passed, ms.</summary>
    public int Milliseconds { get; } = milliseconds;
}

/// <summary>
/// One Polly 8 pipeline per provider endpoint (<c>provider|baseUrl</c>): a retry (outer) that
/// retries a failed model request only while <see cref="Streamed"/> is false for it (nothing reached
/// the caller, so a retry cannot duplicate words) and never an open circuit; and a circuit breaker
/// (inner) counting every failure of every attempt (https://www.pollydocs.org/strategies/circuit-breaker).
/// Caller cancellation is neither retried nor counted.
/// </summary>
public sealed class LlmResilience(IOptionsMonitor<LlmOptions> options, TimeProvider timeProvider)
{
    /// <summary>Set by the request once a text delta was passed on to the channel.</summary>
    public static readonly ResiliencePropertyKey<bool> Streamed = new("portal.llm.streamed");

    private readonly ConcurrentDictionary<string, (ResiliencePipeline Pipeline, CircuitBreakerStateProvider State)> _endpoints = new(StringComparer.Ordinal);

    /// <summary>The pipeline of <paramref name="endpointKey"/> (created on first use from the current options).</summary>
    public ResiliencePipeline For(string endpointKey) => _endpoints.GetOrAdd(endpointKey, _ => Build()).Pipeline;

    /// <summary>The circuit state of <paramref name="endpointKey"/>; closed when it was never used.</summary>
    public CircuitState StateOf(string endpointKey) =>
        _endpoints.TryGetValue(endpointKey, out var endpoint) ? endpoint.State.CircuitState : CircuitState.Closed;

    private (ResiliencePipeline, CircuitBreakerStateProvider) Build()
    {
        var o = options.CurrentValue;
        var state = new CircuitBreakerStateProvider();
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (o.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = o.MaxRetries,
                Delay = TimeSpan.FromMilliseconds(150),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } ex && ex is not (OperationCanceledException or BrokenCircuitException)
                    && !args.Context.Properties.GetValue(Streamed, false)),
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = o.CircuitFailureRatio,
            MinimumThroughput = o.CircuitMinimumThroughput,
            SamplingDuration = TimeSpan.FromMilliseconds(o.CircuitSamplingMs),
            BreakDuration = TimeSpan.FromMilliseconds(o.CircuitBreakMs),
            StateProvider = state,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && (ex is not OperationCanceledException || ex is TaskCanceledException { InnerException: TimeoutException })),
        });
        return (builder.Build(), state);
    }
}
