using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Diagnostics;

/// <summary>The failure-signal analyser's log events (ids 2300–2399): client ids, source addresses and key ids, never a token or a subject.</summary>
internal static partial class LoggingExtensions
{
    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "Tessera finding {Kind} about {SubjectType} {Key} ({Count} rejections, offset {OffsetSeconds} s): {Summary}")]
    public static partial void FindingRaised(ILogger logger, string kind, string subjectType, string key, long count, double offsetSeconds, string summary);
}
