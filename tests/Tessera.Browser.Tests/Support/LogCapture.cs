using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Tessera.Browser.Tests.Support;

/// <summary>Every log line of the hosts under test, so tests can prove no token or cookie value was logged.</summary>
public sealed class LogCapture : ILoggerProvider
{
    public static readonly LogCapture Instance = new();

    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture._lines.Enqueue($"{category} [{eventId.Id}] {formatter(state, exception)} {exception}");
    }
}
