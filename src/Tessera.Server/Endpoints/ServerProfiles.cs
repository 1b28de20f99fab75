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
    private readonly Lazy<Built> _built;

    // The issuer is read on first use, not here: without a configured issuer it is the address the server
    // actually bound, which an ephemeral port makes known only once listening has started.
    public ServerProfiles(Func<string> issuer, RotationPolicy policy, ServerOptions options, IRevocationIndex revocation)
    {
        _built = new Lazy<Built>(() =>
        {
            var value = issuer();
            return new Built(
                value,
                Create(value, TokenKind.Access, policy, options.AccessTokenLifetime, revocation),
                Create(value, TokenKind.Service, policy, options.AccessTokenLifetime, revocation),
                Create(value, TokenKind.Id, policy, TimeSpan.FromMinutes(5), revocation));
        });
    }

    /// <summary>The claim that carries a user's tenant in the service's tokens.</summary>
    public const string TenantClaim = "tid";

    public string Issuer => _built.Value.Issuer;

    public TokenProfile Access => _built.Value.Access;

    public TokenProfile Service => _built.Value.Service;

    public TokenProfile Id => _built.Value.Id;

    public string TokenEndpoint => Issuer + "/connect/token";

    private sealed record Built(string Issuer, TokenProfile Access, TokenProfile Service, TokenProfile Id);

    private static TokenProfile Create(string issuer, TokenKind kind, RotationPolicy policy, TimeSpan lifetime, IRevocationIndex revocation)
    {
        var options = new TokenProfileOptions
        {
            Lifetime = lifetime,
            Revocation = revocation,
            TenantClaim = TenantClaim,
            SkipUnsetIssuerAndAudience = true,
        };
        options.Issuers.Add(issuer);
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
