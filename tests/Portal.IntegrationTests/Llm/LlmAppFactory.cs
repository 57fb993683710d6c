using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.Llm;

/// <summary>Every log line the app writes, formatted, for "the key never appears in the logs".</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}

/// <summary>The app with an OpenAI-compatible provider pointed at a <see cref="FakeOpenAIServer"/>; short timeouts.</summary>
public class LlmAppFactory : PortalAppFactory
{
    public const string Model = "fake-model";

    public FakeOpenAIServer OpenAI { get; private set; } = null!;

    public CapturedLogs Logs { get; } = new();

    public FakeModelScript Script => OpenAI.Script;

    protected virtual IReadOnlyDictionary<string, string> LlmSettings() => new Dictionary<string, string>
    {
        ["Llm:Provider"] = "openai-compatible",
        ["Llm:BaseUrl"] = OpenAI.BaseUrl,
        ["Llm:Model"] = Model,
        ["Llm:TimeToFirstTokenMs"] = "4000",
        ["Llm:TotalTimeoutMs"] = "20000",
        ["Llm:MaxRetries"] = "1",
        ["Llm:CircuitMinimumThroughput"] = "50",
        ["Llm:Prices:fake-model:InputPerMillionUsd"] = "2.5",
        ["Llm:Prices:fake-model:OutputPerMillionUsd"] = "10",
    };

    public override async Task InitializeAsync()
    {
        OpenAI = await FakeOpenAIServer.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await OpenAI.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in LlmSettings())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
    }

    /// <summary>Opens a chat conversation of the tenant and returns its id.</summary>
    public Task<Guid> StartChatAsync(Guid tenantId) =>
        InTenantAsync(tenantId, async sp => (await sp.GetRequiredService<ConversationService>().StartAsync(Channel.WebChat, null, CancellationToken.None)).ConversationId);

    /// <summary>One caller turn through <see cref="ConversationService.ProcessTurnAsync"/>.</summary>
    public Task<TurnResult> SayAsync(Guid tenantId, Guid conversationId, string utterance) =>
        InTenantAsync(tenantId, sp => sp.GetRequiredService<ConversationService>().ProcessTurnAsync(conversationId, utterance, CancellationToken.None));

    /// <summary>Business-local date <paramref name="days"/> from today in New York (the test tenants' zone).</summary>
    public static DateOnly LocalDate(int days)
    {
        var ny = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, ny).DateTime).AddDays(days);
    }

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
