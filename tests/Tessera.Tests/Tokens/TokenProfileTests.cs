using Tessera.Jose;
using Tessera.Keys;
using Tessera.Tokens;

namespace Tessera.Tests.Tokens;

public class TokenProfileTests
{
    private static readonly JsonWebKeySet Asymmetric = JsonWebKeySet.Create([JsonWebKey.Generate(JwsAlgorithm.ES256).ToPublicKey()]);
    private static readonly JsonWebKeySet Symmetric = JsonWebKeySet.Create([JsonWebKey.Generate(JwsAlgorithm.HS256)]);

    private static TokenProfileOptions Options(JsonWebKeySet? keys = null, bool issuer = true, bool audience = true)
    {
        var o = new TokenProfileOptions { Keys = keys ?? Asymmetric };
        if (issuer)
        {
            o.Issuers.Add("https://id.example.com");
        }

        if (audience)
        {
            o.Audiences.Add("api://a");
        }

        return o;
    }

    public static TheoryData<string, string> Misconfigurations => new()
    {
        { "no-issuer", "Set Issuers" },
        { "no-audience", "Set Audiences" },
        { "skew", "0 to 300 s" },
        { "negative-skew", "0 to 300 s" },
        { "lifetime-cap", "at most 01:00:00" },
        { "lifetime-over-max", "at most" },
        { "symmetric", "AllowSymmetricKeys" },
        { "no-keys", "pin the algorithms" },
        { "mixed", "one family per profile" },
        { "refresh", "opaque" },
    };

    [Theory]
    [MemberData(nameof(Misconfigurations))]
    public void Create_Misconfigured_FailsWithTheFix(string caseName, string fix)
    {
        var kind = TokenKind.Access;
        var o = caseName switch
        {
            "no-issuer" => Options(issuer: false),
            "no-audience" => Options(audience: false),
            "symmetric" => Options(Symmetric),
            "no-keys" => Options(),
            "mixed" => Options(),
            _ => Options(),
        };
        switch (caseName)
        {
            case "skew": o.ClockSkew = TimeSpan.FromSeconds(301); break;
            case "negative-skew": o.ClockSkew = TimeSpan.FromSeconds(-1); break;
            case "lifetime-cap": o.MaxLifetime = TimeSpan.FromHours(2); break;
            case "lifetime-over-max": o.MaxLifetime = TimeSpan.FromMinutes(10); o.Lifetime = TimeSpan.FromMinutes(20); break;
            case "no-keys": o.Keys = null; break;
            case "mixed": o.Keys = null; o.AllowSymmetricKeys = true; o.AllowedAlgorithms.Add(JwsAlgorithm.HS256); o.AllowedAlgorithms.Add(JwsAlgorithm.ES256); break;
            case "refresh": kind = TokenKind.Refresh; break;
        }

        var e = Assert.Throws<TesseraConfigurationException>(() => TokenProfile.Create(kind, o));
        Assert.Contains(fix, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_Defaults_AreTheKindsSafeDefaults()
    {
        var access = TokenProfile.Create(TokenKind.Access, Options());
        Assert.Equal(TimeSpan.FromSeconds(30), access.ClockSkew);
        Assert.Equal(TimeSpan.FromMinutes(5), access.Lifetime);
        Assert.Equal(TimeSpan.FromMinutes(60), access.MaxLifetime);
        Assert.Equal(["at+jwt"], access.Types);
        Assert.False(access.TypeMayBeAbsent);
        Assert.Equal(["iss", "sub", "aud", "exp", "iat", "jti", "client_id"], access.RequiredClaims);

        var id = TokenProfile.Create(TokenKind.Id, Options());
        Assert.True(id.TypeMayBeAbsent);
        var service = TokenProfile.Create(TokenKind.Service, Options());
        Assert.Equal(["service+jwt"], service.Types);
    }

    [Fact]
    public void Create_SymmetricExplicitlyAllowed_Builds()
    {
        var o = Options(Symmetric);
        o.AllowSymmetricKeys = true;
        Assert.True(TokenProfile.Create(TokenKind.Service, o).AllowSymmetricKeys);
    }
}
