using Hangfire.AspNetCore;
using Hangfire.Logging;
using Microsoft.Extensions.Logging;

namespace Portal.Jobs;

/// <summary>
/// Hangfire's log provider, one for the process. Hangfire keeps its provider in a static and asks it for a logger whenever
/// it makes one of its objects: the job client, the global filters, a job method's <c>AutomaticRetry</c> attribute on the
/// method's first enqueue in the process. Hangfire's own ASP.NET Core provider is bound to the logger factory of the host
/// that configured Hangfire last and throws once that host is disposed, so in a process with several hosts (the test
/// servers, one app per test class) a live host's first enqueue of a job after another host stopped failed with an
/// <see cref="ObjectDisposedException"/> (a knowledge upload answered 500). The loggers of this provider write to the
/// newest host of the process still attached (<see cref="Attach"/>), and to nothing when none is: asking for a logger, or
/// logging, never fails because a host stopped.
/// </summary>
public sealed class HangfireLogging : ILogProvider
{
    private readonly Lock _gate = new();

    /// <summary>Attached hosts, oldest first.</summary>
    private readonly List<Attachment> _attached = [];

    private Attachment? _newest;

    /// <summary>A provider of its own (tests); the app uses <see cref="Instance"/>.</summary>
    internal HangfireLogging()
    {
    }

    /// <summary>The provider to give Hangfire (<c>UseLogProvider</c>); the same for every host.</summary>
    public static HangfireLogging Instance { get; } = new();

    /// <summary>
    /// Sends Hangfire's log to <paramref name="loggerFactory"/> (a host's logging) until the returned attachment is disposed
    /// or a newer host attaches. Dispose it before the factory (a singleton made after the factory is disposed before it).
    /// </summary>
    public Attachment Attach(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var attachment = new Attachment(this, new AspNetCoreLogProvider(loggerFactory));
        lock (_gate)
        {
            _attached.Add(attachment);
            Volatile.Write(ref _newest, attachment);
        }

        return attachment;
    }

    /// <inheritdoc />
    public ILog GetLogger(string name) => new RoutedLog(this, name);

    private void Detach(Attachment attachment)
    {
        lock (_gate)
        {
            if (_attached.Remove(attachment))
            {
                Volatile.Write(ref _newest, _attached.Count == 0 ? null : _attached[^1]);
            }
        }
    }

    /// <summary>A host's logging attached to Hangfire's log; disposing detaches it.</summary>
    public sealed class Attachment : IDisposable
    {
        private readonly HangfireLogging _owner;

        internal Attachment(HangfireLogging owner, AspNetCoreLogProvider provider)
        {
            _owner = owner;
            Provider = provider;
        }

        internal AspNetCoreLogProvider Provider { get; }

        /// <inheritdoc />
        public void Dispose() => _owner.Detach(this);
    }

    /// <summary>A named logger that writes through the newest attached host, made again when that host changes.</summary>
    private sealed class RoutedLog(HangfireLogging owner, string name) : ILog
    {
        private Bound? _bound;

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            var newest = Volatile.Read(ref owner._newest);
            if (newest is null)
            {
                return false;
            }

            try
            {
                var bound = Volatile.Read(ref _bound);
                if (bound is null || !ReferenceEquals(bound.Attachment, newest))
                {
                    bound = new Bound(newest, newest.Provider.GetLogger(name));
                    Volatile.Write(ref _bound, bound);
                }

                return bound.Log.Log(logLevel, messageFunc, exception);
            }
            catch (ObjectDisposedException)
            {
                // That host's logging was disposed between choosing it and writing: the entry has nowhere to go.
                return false;
            }
        }

        private sealed record Bound(Attachment Attachment, ILog Log);
    }
}
