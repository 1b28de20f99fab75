using Tessera.Jose;
using Tessera.Keys;
using Tessera.Keys.Ring;
using Tessera.Revocation;
using Tessera.Server.Hosting;
using Tessera.Tokens;

namespace Tessera.Server.Endpoints;

/// <summary>
/// The token service's own profiles, keyed to its issuer and key ring. They accept any audience: the
/// service validates tokens it issued (introspection, token exchange) on behalf of every resource, and
/// reports the audience instead of enforcing one.
/// </summary>
internal sealed class ServerProfiles
{
    public ServerProfiles(string issuer, RotationPolicy policy, ServerOptions options, IRevocationIndex revocation)
    {
        Issuer = issuer;
        Access = Create(TokenKind.Access, policy, options.AccessTokenLifetime, revocation);
        Service = Create(TokenKind.Service, policy, options.AccessTokenLifetime, revocation);
        Id = Create(TokenKind.Id, policy, TimeSpan.FromMinutes(5), revocation);
    }

    public string Issuer { get; }

    public TokenProfile Access { get; }

    public TokenProfile Service { get; }

    public TokenProfile Id { get; }

    public string TokenEndpoint => Issuer + "/connect/token";

    private TokenProfile Create(TokenKind kind, RotationPolicy policy, TimeSpan lifetime, IRevocationIndex revocation)
    {
        var options = new TokenProfileOptions
        {
            Lifetime = lifetime,
            Revocation = revocation,
            SkipUnsetIssuerAndAudience = true,
        };
        options.Issuers.Add(Issuer);
        foreach (var algorithm in policy.Algorithms)
        {
            options.AllowedAlgorithms.Add(algorithm);
        }

        return TokenProfile.Create(kind, options);
    }

    /// <summary>A profile for a client's <c>private_key_jwt</c> assertion: issued by the client, for this service.</summary>
    public TokenProfile ClientAssertion(string clientId, JsonWebKeySet keys)
    {
        var options = new TokenProfileOptions { Keys = keys, AllowSymmetricKeys = false };
        options.Issuers.Add(clientId);
        options.Audiences.Add(TokenEndpoint);
        options.Audiences.Add(Issuer);
        return TokenProfile.Create(TokenKind.ClientAssertion, options);
    }

    public static IReadOnlyList<JwsAlgorithm> Algorithms(ServerOptions options) =>
        [.. options.Algorithms.Select(name => JwsAlgorithm.TryGet(name, out var a) && !a.IsSymmetric
            ? a
            : throw new InvalidOperationException($"Tessera:Algorithms has '{name}'; use asymmetric algorithms such as ES256, EdDSA, PS256 or RS256."))];
}
