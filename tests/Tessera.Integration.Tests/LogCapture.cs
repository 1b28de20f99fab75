using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Tessera.Integration.Tests;

/// <summary>
/// Every log line written by every host the tests start (token services and APIs), and every tag of every measurement on
/// any <c>Tessera</c> meter, for the whole test run; and the audit: no line or tag holds a JWT, a token the tests used,
/// or the subject of a token the tests expected to be rejected.
/// </summary>
public sealed partial class LogCapture : ILoggerProvider
{
    public static LogCapture Instance { get; } = new();

    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<string> _tagValues = new();
    private readonly ConcurrentDictionary<string, byte> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _secretSubjects = new(StringComparer.Ordinal);
    private readonly MeterListener _listener = new();

    private LogCapture()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Tessera")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) => RecordTags(tags));
        _listener.SetMeasurementEventCallback<double>((_, _, tags, _) => RecordTags(tags));
        _listener.Start();
    }

    /// <summary>
    /// A JWS compact serialization: a base64url header that starts like a JSON object (<c>ey</c>), a payload, and a
    /// signature (empty for <c>alg</c> <c>none</c>).
    /// </summary>
    [GeneratedRegex(@"ey[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*")]
    public static partial Regex JwtPattern();

    public int LineCount => _lines.Count;

    public IReadOnlyList<string> Lines => [.. _lines];

    public IReadOnlyList<string> TagValues => [.. _tagValues];

    /// <summary>Remembers a token the tests obtained or forged, to be looked for verbatim.</summary>
    public string Token(string token)
    {
        _tokens.TryAdd(token, 0);
        return token;
    }

    /// <summary>Remembers the subject of a token that must be rejected: it must never be logged.</summary>
    public string RejectedSubject(string subject)
    {
        _secretSubjects.TryAdd(subject, 0);
        return subject;
    }

    /// <summary>Every offending line or tag so far, with why.</summary>
    public IReadOnlyList<string> Leaks()
    {
        var leaks = new List<string>();
        foreach (var (kind, text) in _lines.Select(l => ("log", l)).Concat(_tagValues.Select(t => ("metric tag", t))))
        {
            if (JwtPattern().IsMatch(text))
            {
                leaks.Add($"{kind} matches the JWT pattern: {Truncate(text)}");
            }
            else if (_tokens.Keys.FirstOrDefault(t => text.Contains(t, StringComparison.Ordinal)) is not null)
            {
                leaks.Add($"{kind} holds a token: {Truncate(text)}");
            }
            else if (_secretSubjects.Keys.FirstOrDefault(s => text.Contains(s, StringComparison.Ordinal)) is { } subject)
            {
                leaks.Add($"{kind} holds the subject '{subject}' of a rejected token: {Truncate(text)}");
            }
        }

        return leaks;
    }

    public void AssertNoLeaks()
    {
        var leaks = Leaks();
        Assert.True(leaks.Count == 0, $"{leaks.Count} leak(s):{Environment.NewLine}{string.Join(Environment.NewLine, leaks.Take(20))}");
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void RecordTags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            _tagValues.Enqueue($"{tag.Key}={tag.Value}");
        }
    }

    private static string Truncate(string text) => text.Length <= 400 ? text : text[..400] + "…";

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            capture._lines.Enqueue($"{category} [scope] {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : string.Empty;
            capture._lines.Enqueue($"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)} | {structured}{(exception is null ? string.Empty : " | " + exception)}");
        }
    }
}

/// <summary>All integration tests share one collection: they run one after another (timings stay honest on two cores) and are audited together at the end.</summary>
[CollectionDefinition(Name)]
public sealed class IntegrationCollection : ICollectionFixture<LeakAudit>
{
    public const string Name = "integration";
}

/// <summary>At the end of the run: the audit over everything every host logged and measured.</summary>
public sealed class LeakAudit : IDisposable
{
    public void Dispose()
    {
        Assert.True(LogCapture.Instance.LineCount > 0, "No log line was captured: the audit would prove nothing.");
        LogCapture.Instance.AssertNoLeaks();
    }
}
