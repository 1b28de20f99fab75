using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Bearer;
using Tessera.AspNetCore.Jwks;
using Tessera.Jose;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Bff;

/// <summary>
/// Validates the ID token of a code exchange with Tessera's validator under the ID-token profile: issuer, audience
/// (this client), <c>azp</c>, <c>typ</c>, lifetime and the login's <c>nonce</c>, with keys from the issuer's JWKS.
/// </summary>
internal sealed class BffIdTokenValidator : IDisposable
{
    private readonly TokenProfile _profile;
    private readonly TokenValidator _validator;
    private readonly JwksClient _jwks;
    private readonly string _clientId;

    public BffIdTokenValidator(IOptions<TesseraBffOptions> options, IHttpClientFactory http, TimeProvider time, ILoggerFactory loggers, IMeterFactory meters)
    {
        var o = options.Value;
        _clientId = o.ClientId!;
        var profile = new TokenProfileOptions();
        profile.Issuers.Add(o.Authority!.TrimEnd('/'));
        profile.Audiences.Add(_clientId);
        var jwks = new JwksClientOptions { Issuer = o.Authority!.TrimEnd('/') };
        foreach (var algorithm in o.AllowedAlgorithms.Count > 0 ? [.. o.AllowedAlgorithms] : new[] { JwsAlgorithm.ES256 })
        {
            profile.AllowedAlgorithms.Add(algorithm);
            jwks.AllowedAlgorithms.Add(algorithm);
        }

        _profile = TokenProfile.Create(TokenKind.Id, profile);
        _validator = new TokenValidator(time);
        _jwks = new JwksClient(jwks, http, time, loggers, meters);
    }

    /// <summary>The ID token's claims when valid; otherwise the reason code.</summary>
    public async Task<(JsonElement? Claims, string? Reason)> ValidateAsync(string idToken, string nonce, CancellationToken cancellationToken)
    {
        if (await _jwks.GetKeysAsync(cancellationToken).ConfigureAwait(false) is not { } keys)
        {
            return (null, "keys_unavailable");
        }

        var result = _validator.Validate(idToken, _profile, keys, nonce);
        if (result.Failure == FailureReason.KeyNotFound && RejectedTokenFacts.ReadHeader(idToken).Kid is { } kid
            && await _jwks.GetKeysForUnknownKidAsync(kid, cancellationToken).ConfigureAwait(false) is { } fresh)
        {
            result = _validator.Validate(idToken, _profile, fresh, nonce);
        }

        if (!result.IsValid)
        {
            return (null, result.ReasonCode);
        }

        var claims = result.Claims!;
        if (claims.AuthorizedParty is { } azp && azp != _clientId)
        {
            return (null, "invalid_claim");
        }

        var shown = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var name in claims.Names)
        {
            if (name is not ("nonce" or "at_hash" or "c_hash") && claims.TryGetClaim(name, out var value))
            {
                shown[name] = value.Clone();
            }
        }

        return (JsonSerializer.SerializeToElement(shown), null);
    }

    public void Dispose() => _jwks.Dispose();
}
