using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Portal.IntegrationTests.Infrastructure;

/// <summary>
/// Keeps the app's log lines in memory so a failing test can show what the server did: warnings and errors of every
/// category, and everything from the categories named at construction (e.g. the call session, Kestrel's connection log).
/// </summary>
public sealed class ServerLog(params string[] verboseCategories) : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    /// <summary>The lines so far, oldest first, one per entry.</summary>
    public string Dump() => string.Join("\n", _lines);

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName,
        verboseCategories.Any(c => categoryName.Contains(c, StringComparison.Ordinal)) ? LogLevel.Debug : LogLevel.Warning);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class Logger(ServerLog log, string category, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log._lines.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " | " + exception.GetType().Name + ": " + exception.Message)}");
            }
        }
    }
}
