using Tessera.Clients;

namespace Tessera.Server.Login;

/// <summary>An authorization error returned to the client's (verified) redirect URI, with <c>state</c> and <c>iss</c> (RFC 9207).</summary>
internal sealed record AuthorizationError(ClientRegistration Client, string RedirectUri, string? State, string Error, string Description);
