namespace Tessera.Benchmarks;

/// <summary>
/// Which library supports which algorithm. The benchmark classes name each method after its library;
/// <see cref="BenchmarkConfig"/> drops the (library, algorithm) cases a library cannot do, so such a
/// library is simply absent from that algorithm's rows.
/// </summary>
internal static class Libraries
{
    public const string Floor = "Floor";
    public const string Tessera = "Tessera";
    public const string TesseraFullValidation = "TesseraFullValidation";
    public const string MicrosoftIdentityModel = "MicrosoftIdentityModel";
    public const string JoseJwt = "JoseJwt";
    public const string JwtNet = "JwtNet";

    public static bool Supports(string library, Alg algorithm) => library switch
    {
        Floor or Tessera or TesseraFullValidation => true,

        // Microsoft.IdentityModel 8.x has no EdDSA; jose-jwt 5.x has no EdDSA either.
        MicrosoftIdentityModel or JoseJwt => algorithm != Alg.EdDSA,

        // JWT.Net 7.x implements only HMAC and RS256.
        JwtNet => algorithm is Alg.HS256 or Alg.RS256,
        _ => false,
    };
}
