using System.Text;
using Microsoft.Extensions.Time.Testing;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Revocation;
using Tessera.Tokens;

namespace Tessera.Tests.Tokens;

/// <summary>Keys, profiles and a clock shared by the token tests.</summary>
internal sealed class TokenFixture
{
    public const string Issuer = "https://id.example.com";
    public const string Api = "api://orders";
    public const string Client = "web-app";

    public static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public TokenFixture()
    {
        SigningKey = JsonWebKey.Generate(JwsAlgorithm.ES256, "k1");
        Keys = JsonWebKeySet.Create([SigningKey.ToPublicKey()]);
        Access = Profile(TokenKind.Access, Api);
        Id = Profile(TokenKind.Id, Client);
        Service = Profile(TokenKind.Service, Api);
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public JsonWebKey SigningKey { get; }

    public JsonWebKeySet Keys { get; }

    public InMemoryRevocationIndex Revocation => _revocation ??= new InMemoryRevocationIndex(Time);

    public TokenProfile Access { get; private set; }

    public TokenProfile Id { get; }

    public TokenProfile Service { get; }

    private InMemoryRevocationIndex? _revocation;

    public TokenValidator Validator => new(Time);

    public TokenIssuer Issuer_ => new(Time);

    public TokenProfile Profile(TokenKind kind, string audience, Action<TokenProfileOptions>? configure = null)
    {
        var options = new TokenProfileOptions { Keys = Keys, Revocation = Revocation };
        options.Issuers.Add(Issuer);
        options.Audiences.Add(audience);
        configure?.Invoke(options);
        return TokenProfile.Create(kind, options);
    }

    public TokenProfile WithAccess(Action<TokenProfileOptions> configure) => Access = Profile(TokenKind.Access, Api, configure);

    public long Now => Time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>A valid access token's claims as JSON text, with <paramref name="replace"/> applied to it.</summary>
    public string AccessClaims(string? extra = null) =>
        $$"""{"iss":"{{Issuer}}","sub":"user-1","aud":"{{Api}}","exp":{{Now + 300}},"iat":{{Now}},"jti":"j-{{Guid.NewGuid():N}}","client_id":"{{Client}}","scope":"orders:read orders:write"{{extra}}}""";

    public string Sign(string claimsJson, string? typ = "at+jwt", JsonWebKey? key = null) =>
        JwsWriter.Sign(key ?? SigningKey, Encoding.UTF8.GetBytes(claimsJson), typ);
}
