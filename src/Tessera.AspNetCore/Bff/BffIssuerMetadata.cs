namespace Tessera.AspNetCore.Bff;

/// <summary>The token service endpoints the BFF uses, from its discovery document.</summary>
internal sealed record BffIssuerMetadata(string Issuer, Uri AuthorizationEndpoint, Uri TokenEndpoint, Uri? RevocationEndpoint);
