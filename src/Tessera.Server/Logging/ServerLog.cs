namespace Tessera.Server.Logging;

/// <summary>The token service's log events. Tokens appear only as <c>jti</c> or fingerprint; secrets and assertions never.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Issued {Kind} token {TokenId} to client {ClientId} (kid {Kid})")]
    public static partial void TokenIssued(ILogger logger, string kind, string clientId, string tokenId, string kid);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Token request refused: {Error} (grant {GrantType}, client {ClientId})")]
    public static partial void TokenRequestRefused(ILogger logger, string error, string grantType, string clientId);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Introspection by {ClientId}: active={Active} ({Reason})")]
    public static partial void Introspected(ILogger logger, string clientId, bool active, string reason);

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Tessera token service listening; issuer {Issuer}, database {DatabasePath}")]
    public static partial void Started(ILogger logger, string issuer, string databasePath);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Development mode: secrets were generated into {DataDirectory}. Configure TESSERA_KEK and TESSERA_ADMIN_KEY in production.")]
    public static partial void DevelopmentMode(ILogger logger, string dataDirectory);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "Key ring refresh failed; signing continues with the last known ring")]
    public static partial void KeyRingRefreshFailed(ILogger logger, Exception exception);
}
