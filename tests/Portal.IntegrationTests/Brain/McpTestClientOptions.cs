using ModelContextProtocol.Client;

namespace Portal.IntegrationTests.Brain;

/// <summary>The SDK client's options for the tests that drive Portal's MCP server.</summary>
internal static class McpTestClientOptions
{
    /// <summary>
    /// No separate limit on the <c>server/discover</c> probe (the SDK's default is 5 s, after which it cancels the request,
    /// which on a busy CI machine failed the connection with 499 instead of falling back): Portal's server answers the
    /// probe, so the connection is bounded by the initialization timeout only.
    /// </summary>
    public static McpClientOptions Create() => new()
    {
        DiscoverProbeTimeout = Timeout.InfiniteTimeSpan,
        InitializationTimeout = TimeSpan.FromMinutes(2),
    };
}
