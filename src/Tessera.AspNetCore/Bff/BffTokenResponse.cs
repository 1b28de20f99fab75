namespace Tessera.AspNetCore.Bff;

/// <summary>A successful token response; <see cref="ExpiresAt"/> is computed from <c>expires_in</c> on receipt.</summary>
internal sealed record BffTokenResponse(string AccessToken, DateTimeOffset ExpiresAt, string? RefreshToken, string? IdToken);
