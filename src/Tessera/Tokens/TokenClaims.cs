using System.Text.Json;

namespace Tessera.Tokens;

/// <summary>
/// The claims of a validated token. Registered claims are typed and read from the payload the validator
/// already parsed; other claims are parsed on first use. Immutable and thread-safe.
/// </summary>
public sealed class TokenClaims
{
    private readonly ClaimSet _set;
    private readonly string _tenantClaim;
    private JsonDocument? _document;
    private string[]? _audiences;
    private string[]? _scopes;

    internal TokenClaims(ClaimSet set, string tenantClaim)
    {
        _set = set;
        _tenantClaim = tenantClaim;
    }

    /// <summary><c>iss</c>.</summary>
    public string? Issuer => _set.Issuer.ToString(_set.Payload);

    /// <summary><c>sub</c>.</summary>
    public string? Subject => _set.Subject.ToString(_set.Payload);

    /// <summary><c>jti</c>.</summary>
    public string? TokenId => _set.TokenId.ToString(_set.Payload);

    /// <summary><c>client_id</c>.</summary>
    public string? ClientId => _set.ClientId.ToString(_set.Payload);

    /// <summary><c>azp</c>.</summary>
    public string? AuthorizedParty => _set.AuthorizedParty.ToString(_set.Payload);

    /// <summary><c>nonce</c>.</summary>
    public string? Nonce => _set.Nonce.ToString(_set.Payload);

    /// <summary>The tenant claim named by the profile.</summary>
    public string? Tenant => _set.Tenant.ToString(_set.Payload);

    /// <summary><c>aud</c> as a list (a single string becomes one entry).</summary>
    public IReadOnlyList<string> Audiences => _audiences ??= ReadAudiences();

    /// <summary>The space-separated <c>scope</c> as a list.</summary>
    public IReadOnlyList<string> Scopes => _scopes ??= _set.Scope.ToString(_set.Payload)?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];

    /// <summary><c>exp</c>.</summary>
    public DateTimeOffset? ExpiresAt => ToTime(_set.ExpiresAt);

    /// <summary><c>nbf</c>.</summary>
    public DateTimeOffset? NotBefore => ToTime(_set.NotBefore);

    /// <summary><c>iat</c>.</summary>
    public DateTimeOffset? IssuedAt => ToTime(_set.IssuedAt);

    /// <summary>True when <c>scope</c> holds <paramref name="scope"/> exactly.</summary>
    public bool HasScope(string scope) => Scopes.Contains(scope, StringComparer.Ordinal);

    /// <summary>Any top-level claim as JSON (parsed on first use). The element lives as long as this object.</summary>
    public bool TryGetClaim(string name, out JsonElement value)
    {
        var document = LazyInitializer.EnsureInitialized(ref _document, () => JsonDocument.Parse(_set.Payload.AsMemory(0, _set.PayloadLength)));
        return document.RootElement.TryGetProperty(name, out value);
    }

    /// <summary>A top-level string claim, or null when absent or not a string.</summary>
    public string? GetString(string name) =>
        TryGetClaim(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Every top-level claim name, in payload order.</summary>
    public IEnumerable<string> Names
    {
        get
        {
            TryGetClaim(string.Empty, out _);
            return _document!.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        }
    }

    internal ClaimSet Set => _set;

    internal string TenantClaimName => _tenantClaim;

    private string[] ReadAudiences()
    {
        if (_set.AudienceCount == 0)
        {
            return [];
        }

        var reader = new Utf8JsonReader(_set.Payload.AsSpan(_set.AudienceStart, _set.AudienceLength));
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return [reader.GetString()!];
        }

        var list = new string[_set.AudienceCount];
        var i = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.String)
        {
            list[i++] = reader.GetString()!;
        }

        return list;
    }

    private static DateTimeOffset? ToTime(double? seconds) =>
        seconds is { } s ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Floor(s * 1000)) : null;
}
