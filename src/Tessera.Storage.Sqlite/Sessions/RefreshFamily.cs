namespace Tessera.Storage.Sqlite.Sessions;

/// <summary>
/// One grant to one client from one sign-in: the refresh tokens that rotate from it (a chain of generations) and the
/// JWTs issued along the way. Revoking the family ends all of them.
/// </summary>
public sealed record RefreshFamily
{
    /// <summary>Its identifier (random, not a secret).</summary>
    public required string Id { get; init; }

    /// <summary>The client it belongs to.</summary>
    public required string ClientId { get; init; }

    /// <summary>The user (<c>sub</c>).</summary>
    public required string UserId { get; init; }

    /// <summary>The user's tenant, if any.</summary>
    public string? Tenant { get; init; }

    /// <summary>The sign-in session it came from (<c>sid</c>).</summary>
    public string? SessionId { get; init; }

    /// <summary>The granted scopes.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>The APIs its access tokens are for.</summary>
    public IReadOnlyList<string> Audiences { get; init; } = [];

    /// <summary>When the user authenticated (<c>auth_time</c>).</summary>
    public DateTimeOffset AuthenticatedAt { get; init; }

    /// <summary>When the code was redeemed.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The absolute end of the family: no refresh after it, however active.</summary>
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The generation of its newest refresh token (the first is 0).</summary>
    public int Generation { get; init; }

    /// <summary>When it was revoked, if it was.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Why it was revoked: <c>refresh_reused</c>, <c>code_reused</c>, <c>logout</c>, a trigger's name…</summary>
    public string? RevokeReason { get; init; }
}
