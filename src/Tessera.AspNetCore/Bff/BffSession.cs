using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tessera.AspNetCore.Bff;

/// <summary>One signed-in browser's tokens and user claims, as kept server-side (protected) in the session store.</summary>
internal sealed record BffSession
{
    [JsonPropertyName("at")] public required string AccessToken { get; init; }

    [JsonPropertyName("at_exp")] public required DateTimeOffset AccessTokenExpiresAt { get; init; }

    [JsonPropertyName("rt")] public string? RefreshToken { get; init; }

    [JsonPropertyName("idt")] public required string IdToken { get; init; }

    /// <summary>The validated ID token's claims (what <c>/bff/user</c> shows).</summary>
    [JsonPropertyName("claims")] public required JsonElement UserClaims { get; init; }

    [JsonPropertyName("created")] public required DateTimeOffset CreatedAt { get; init; }

    [JsonPropertyName("expires")] public required DateTimeOffset ExpiresAt { get; init; }
}
