using JoseAlgorithm = global::Jose.JwsAlgorithm;
using JoseJwt = global::Jose.JWT;

namespace Tessera.Benchmarks;

/// <summary>jose-jwt: <c>JWT.Decode</c> with the expected algorithm pinned, and <c>JWT.Encode</c>.</summary>
internal sealed class JoseJwtPeer
{
    private readonly object _verificationKey;
    private readonly object _signingKey;
    private readonly JoseAlgorithm _algorithm;
    private readonly Dictionary<string, object> _headers;
    private readonly string _token;

    public JoseJwtPeer(AlgorithmFixture fixture)
    {
        _token = fixture.Token;
        _algorithm = Enum.Parse<JoseAlgorithm>(fixture.Name);
        (_verificationKey, _signingKey) = fixture.Algorithm.KeyType switch
        {
            Jose.KeyType.Oct => ((object)fixture.Secret!, (object)fixture.Secret!),
            Jose.KeyType.Rsa => (fixture.RsaPublic!, fixture.RsaPrivate!),
            Jose.KeyType.EC => (fixture.EcPublic!, fixture.EcPrivate!),
            _ => throw new NotSupportedException(fixture.Name),
        };
        _headers = new() { ["kid"] = fixture.Kid, ["typ"] = AlgorithmFixture.AccessTokenType };

        if (Verify() != AlgorithmFixture.PayloadJson)
        {
            throw new InvalidOperationException($"jose-jwt does not verify the {fixture.Name} token.");
        }
    }

    public string Verify() => JoseJwt.Decode(_token, _verificationKey, _algorithm);

    public string Sign() => JoseJwt.Encode(AlgorithmFixture.PayloadJson, _signingKey, _algorithm, _headers);
}
