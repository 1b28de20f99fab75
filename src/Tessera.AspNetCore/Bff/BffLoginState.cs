using System.Text.Json.Serialization;

namespace Tessera.AspNetCore.Bff;

/// <summary>What a started login must find again at the callback, kept in a protected, short-lived cookie bound to the browser.</summary>
internal sealed record BffLoginState
{
    [JsonPropertyName("s")] public required string State { get; init; }

    [JsonPropertyName("n")] public required string Nonce { get; init; }

    [JsonPropertyName("v")] public required string CodeVerifier { get; init; }

    [JsonPropertyName("r")] public required string RedirectUri { get; init; }

    [JsonPropertyName("u")] public required string ReturnUrl { get; init; }

    [JsonPropertyName("e")] public required DateTimeOffset ExpiresAt { get; init; }
}
