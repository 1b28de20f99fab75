using JWT;
using JWT.Algorithms;
using JWT.Serializers;

namespace Tessera.Benchmarks;

/// <summary>
/// JWT.Net 7: a <see cref="JwtDecoder"/> with signature verification on (it also checks <c>exp</c> and
/// <c>nbf</c>, which cannot be turned off), and a <see cref="JwtEncoder"/>. Its encoder takes the claims as
/// an object, so it is given a dictionary, not the JSON text the other libraries sign.
/// </summary>
internal sealed class JwtNetPeer
{
    private readonly JwtDecoder _decoder;
    private readonly JwtEncoder _encoder;
    private readonly byte[] _key;
    private readonly Dictionary<string, object> _headers;
    private readonly Dictionary<string, object> _claims;
    private readonly string _token;

    public JwtNetPeer(AlgorithmFixture fixture)
    {
        _token = fixture.Token;
        var serializer = new JsonNetSerializer();
        var encoder = new JwtBase64UrlEncoder();
        IJwtAlgorithm verifying;
        IJwtAlgorithm signing;
        switch (fixture.Name)
        {
            case "HS256":
                verifying = signing = new HMACSHA256Algorithm();
                _key = fixture.Secret!;
                break;
            case "RS256":
                verifying = new RS256Algorithm(fixture.RsaPublic!);
                signing = new RS256Algorithm(fixture.RsaPublic!, fixture.RsaPrivate!);
                _key = [0]; // unused by the RSA algorithm, but the API wants a key
                break;
            default:
                throw new NotSupportedException(fixture.Name);
        }

        _decoder = new JwtDecoder(serializer, new JwtValidator(serializer, new UtcDateTimeProvider()), encoder, verifying);
        _encoder = new JwtEncoder(signing, serializer, encoder);
        _headers = new() { ["kid"] = fixture.Kid, ["typ"] = AlgorithmFixture.AccessTokenType };
        _claims = serializer.Deserialize<Dictionary<string, object>>(AlgorithmFixture.PayloadJson);

        if (Verify() != AlgorithmFixture.PayloadJson)
        {
            throw new InvalidOperationException($"JWT.Net does not verify the {fixture.Name} token.");
        }
    }

    public string Verify() => _decoder.Decode(_token, _key, verify: true);

    public string Sign() => _encoder.Encode(_headers, _claims, _key);
}
