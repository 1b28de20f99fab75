using Microsoft.Extensions.Logging;

namespace Tessera.AspNetCore.Introspection;

/// <summary>The introspection client's log events (ids 2200–2299): endpoints, reasons and token fingerprints, never a token or a secret.</summary>
internal static partial class LoggingExtensions
{
    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "Introspection at {Endpoint} failed ({ErrorType}): {Detail}. The request fails closed.")]
    public static partial void IntrospectionFailed(ILogger logger, string endpoint, string errorType, string detail);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Error, Message = "The token service refused this API's client credentials at {Endpoint} (HTTP {Status}). Check the introspection ClientId and ClientSecret; every high-risk request fails closed until they work.")]
    public static partial void IntrospectionCredentialsRefused(ILogger logger, string endpoint, int status);
}
