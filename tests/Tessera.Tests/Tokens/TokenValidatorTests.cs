using Tessera.Tokens;

namespace Tessera.Tests.Tokens;

public class TokenValidatorTests
{
    private readonly TokenFixture _f = new();

    [Fact]
    public void Validate_AccessTokenFromIssuer_IsValidWithTypedClaims()
    {
        var issued = _f.Issuer_.Issue(_f.Access, _f.SigningKey, new TokenDescriptor
        {
            Subject = "user-1",
            ClientId = TokenFixture.Client,
            Audiences = [TokenFixture.Api],
            Scopes = ["orders:read"],
        });

        var result = _f.Validator.Validate(issued.Token, _f.Access);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(TokenKind.Access, result.Kind);
        Assert.Equal("k1", result.Kid);
        Assert.Equal("user-1", result.Claims!.Subject);
        Assert.Equal(TokenFixture.Issuer, result.Claims.Issuer);
        Assert.Equal([TokenFixture.Api], result.Claims.Audiences);
        Assert.True(result.Claims.HasScope("orders:read"));
        Assert.Equal(issued.TokenId, result.Claims.TokenId);
        Assert.Equal(issued.ExpiresAt, result.Claims.ExpiresAt);
        Assert.Equal(TimeSpan.FromMinutes(5), issued.ExpiresAt - issued.IssuedAt);
    }

    private static List<(string Code, string Claims, string? Typ, string? Claim)> ClaimCases(TokenFixture f)
    {
        var now = f.Now;
        return
        [
            // expected code, claims JSON, typ, failing claim
            ("wrong_type", f.AccessClaims(), "JWT", null),
            ("wrong_type", f.AccessClaims(), null, null),
            ("wrong_type", f.AccessClaims(), "service+jwt", null),
            ("wrong_issuer", f.AccessClaims().Replace(TokenFixture.Issuer, TokenFixture.Issuer + "/"), "at+jwt", "iss"),
            ("wrong_issuer", f.AccessClaims().Replace(TokenFixture.Issuer, "HTTPS://ID.EXAMPLE.COM"), "at+jwt", "iss"),
            ("wrong_audience", f.AccessClaims().Replace(TokenFixture.Api, "api://billing"), "at+jwt", "aud"),
            ("wrong_audience", f.AccessClaims().Replace($"\"{TokenFixture.Api}\"", "[\"api://a\",\"api://b\"]"), "at+jwt", "aud"),
            ("missing_claim", f.AccessClaims().Replace($",\"client_id\":\"{TokenFixture.Client}\"", ""), "at+jwt", "client_id"),
            ("missing_claim", $$"""{"iss":"{{TokenFixture.Issuer}}","aud":"{{TokenFixture.Api}}","exp":{{now + 60}},"iat":{{now}},"jti":"x","client_id":"c"}""", "at+jwt", "sub"),
            ("invalid_claim", f.AccessClaims(",\"nbf\":\"1\""), "at+jwt", "nbf"),
            ("invalid_claim", f.AccessClaims().Replace($"\"exp\":{now + 300}", "\"exp\":\"soon\""), "at+jwt", "exp"),
            ("invalid_claim", f.AccessClaims().Replace($"\"exp\":{now + 300}", "\"exp\":null"), "at+jwt", "exp"),
            ("invalid_claim", f.AccessClaims().Replace($"\"exp\":{now + 300}", "\"exp\":true"), "at+jwt", "exp"),
            ("invalid_claim", f.AccessClaims().Replace($"\"exp\":{now + 300}", "\"exp\":1e400"), "at+jwt", "exp"),
            ("invalid_claim", f.AccessClaims().Replace($"\"iat\":{now}", "\"iat\":-1"), "at+jwt", "iat"),
            ("invalid_claim", f.AccessClaims().Replace($"\"exp\":{now + 300}", "\"exp\":99999999999999"), "at+jwt", "exp"),
            ("invalid_claim", f.AccessClaims().Replace($"\"{TokenFixture.Api}\"", "[]"), "at+jwt", "aud"),
            ("invalid_claim", f.AccessClaims().Replace($"\"{TokenFixture.Api}\"", "[1]"), "at+jwt", "aud"),
            ("invalid_claim", f.AccessClaims().Replace("\"sub\":\"user-1\"", "\"sub\":42"), "at+jwt", "sub"),
            ("expired", f.AccessClaims().Replace($"\"exp\":{now + 300}", $"\"exp\":{now - 31}").Replace($"\"iat\":{now}", $"\"iat\":{now - 100}"), "at+jwt", "exp"),
            ("not_yet_valid", f.AccessClaims($",\"nbf\":{now + 31}"), "at+jwt", "nbf"),
            ("issued_in_future", f.AccessClaims().Replace($"\"iat\":{now}", $"\"iat\":{now + 31}").Replace($"\"exp\":{now + 300}", $"\"exp\":{now + 331}"), "at+jwt", "iat"),
            ("lifetime_too_long", f.AccessClaims().Replace($"\"exp\":{now + 300}", $"\"exp\":{now + 3601}"), "at+jwt", "exp"),
            ("malformed", f.AccessClaims().Replace("\"sub\":\"user-1\"", "\"sub\":\"user-1\",\"sub\":\"admin\""), "at+jwt", null),
            ("malformed", f.AccessClaims().Replace("\"sub\":\"user-1\"", "\"sub\":\"user-1\",\"\\u0073ub\":\"admin\""), "at+jwt", null),
            ("malformed", f.AccessClaims(",\"x\":{\"a\":1,\"a\":2}"), "at+jwt", null),
            ("malformed", "[1,2,3]", "at+jwt", null),
            ("malformed", "not json", "at+jwt", null),
            ("malformed", f.AccessClaims() + " {}", "at+jwt", null),
            ("malformed", f.AccessClaims(",\"deep\":" + new string('[', 40) + new string(']', 40)), "at+jwt", null),
        ];
    }

    [Fact]
    public void Validate_EveryClaimCase_RejectedWithItsReasonAndClaim()
    {
        foreach (var (code, claims, typ, claim) in ClaimCases(_f))
        {
            var result = _f.Validator.Validate(_f.Sign(claims, typ), _f.Access);
            Assert.False(result.IsValid, $"{code}: {claims}");
            Assert.Equal(code, result.ReasonCode);
            Assert.Equal(claim, result.FailedClaim);
            Assert.Null(result.Claims);
        }
    }

    [Theory]
    [InlineData("at+jwt")]
    [InlineData("AT+JWT")]
    [InlineData("application/at+jwt")]
    [InlineData("Application/At+Jwt")]
    public void Validate_TypAsMediaType_Accepted(string typ)
    {
        var result = _f.Validator.Validate(_f.Sign(_f.AccessClaims(), typ), _f.Access);
        Assert.True(result.IsValid, result.ToString());
    }

    [Theory]
    [InlineData("at+jwt ")]
    [InlineData("application/application/at+jwt")]
    [InlineData("jwt")]
    public void Validate_TypNotTheKinds_WrongType(string typ)
    {
        var result = _f.Validator.Validate(_f.Sign(_f.AccessClaims(), typ), _f.Access);
        Assert.Equal(FailureReason.WrongType, result.Failure);
    }

    [Theory]
    [InlineData(-29, true)] // expired 29 s ago, skew 30 s: still valid
    [InlineData(-30, false)]
    [InlineData(-31, false)]
    public void Validate_ExpAroundSkew_Boundary(int expiresIn, bool valid)
    {
        var now = _f.Now;
        var claims = _f.AccessClaims().Replace($"\"exp\":{now + 300}", $"\"exp\":{now + expiresIn}").Replace($"\"iat\":{now}", $"\"iat\":{now - 60}");
        var result = _f.Validator.Validate(_f.Sign(claims), _f.Access);
        Assert.Equal(valid, result.IsValid);
        if (!valid)
        {
            Assert.Equal(FailureReason.Expired, result.Failure);
        }
    }

    [Theory]
    [InlineData(30, true)]
    [InlineData(31, false)]
    public void Validate_NbfAroundSkew_Boundary(int notBeforeIn, bool valid)
    {
        var result = _f.Validator.Validate(_f.Sign(_f.AccessClaims($",\"nbf\":{_f.Now + notBeforeIn}")), _f.Access);
        Assert.Equal(valid, result.IsValid);
        Assert.Equal(valid ? null : FailureReason.NotYetValid, result.Failure);
    }

    [Theory]
    [InlineData(30, true)]
    [InlineData(31, false)]
    public void Validate_IatAroundSkew_Boundary(int issuedIn, bool valid)
    {
        var now = _f.Now;
        var claims = _f.AccessClaims().Replace($"\"iat\":{now}", $"\"iat\":{now + issuedIn}");
        var result = _f.Validator.Validate(_f.Sign(claims), _f.Access);
        Assert.Equal(valid ? null : FailureReason.IssuedInFuture, result.Failure);
    }

    [Fact]
    public void Validate_ClockMovesPastExpiry_TokenExpires()
    {
        var token = _f.Sign(_f.AccessClaims());
        Assert.True(_f.Validator.Validate(token, _f.Access).IsValid);
        _f.Time.Advance(TimeSpan.FromSeconds(329));
        Assert.True(_f.Validator.Validate(token, _f.Access).IsValid);
        _f.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(FailureReason.Expired, _f.Validator.Validate(token, _f.Access).Failure);
    }

    [Theory]
    [InlineData("{0}.5", true)]
    [InlineData("{1}e2", true)]
    [InlineData("0", false)] // a valid NumericDate, but then the lifetime is decades
    public void Validate_NumericDateForms_ReadAsNumbers(string iatFormat, bool valid)
    {
        var now = _f.Now;
        var iatText = string.Format(System.Globalization.CultureInfo.InvariantCulture, iatFormat, now, now / 100);
        var claims = _f.AccessClaims().Replace($"\"iat\":{now}", $"\"iat\":{iatText}").Replace($"\"exp\":{now + 300}", $"\"exp\":{now + 60}");
        var result = _f.Validator.Validate(_f.Sign(claims), _f.Access);
        Assert.Equal(valid, result.IsValid);
    }

    [Fact]
    public void Validate_AudienceArrayContainingOurs_Valid()
    {
        var claims = _f.AccessClaims().Replace($"\"{TokenFixture.Api}\"", $"[\"api://other\",\"{TokenFixture.Api}\"]");
        var result = _f.Validator.Validate(_f.Sign(claims), _f.Access);
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(["api://other", TokenFixture.Api], result.Claims!.Audiences);
    }

    [Fact]
    public void Validate_EscapedIssuerEqualToExpected_Valid()
    {
        var claims = _f.AccessClaims().Replace("\"iss\":\"https:", "\"iss\":\"\\u0068ttps:");
        Assert.True(_f.Validator.Validate(_f.Sign(claims), _f.Access).IsValid);
    }

    [Fact]
    public void Validate_RequiredScopeMissing_InsufficientScope()
    {
        var profile = _f.Profile(TokenKind.Access, TokenFixture.Api, o => o.RequiredScopes.Add("orders:admin"));
        var result = _f.Validator.Validate(_f.Sign(_f.AccessClaims()), profile);
        Assert.Equal(FailureReason.InsufficientScope, result.Failure);

        var withScope = _f.AccessClaims().Replace("orders:read orders:write", "orders:read orders:admin");
        Assert.True(_f.Validator.Validate(_f.Sign(withScope), profile).IsValid);
        var prefixOnly = _f.AccessClaims().Replace("orders:read orders:write", "orders:administrator");
        Assert.Equal(FailureReason.InsufficientScope, _f.Validator.Validate(_f.Sign(prefixOnly), profile).Failure);
    }

    [Fact]
    public void Validate_CustomRequiredClaimMissing_MissingClaimNamed()
    {
        var profile = _f.Profile(TokenKind.Access, TokenFixture.Api, o => o.RequiredClaims.Add("tid"));
        var result = _f.Validator.Validate(_f.Sign(_f.AccessClaims()), profile);
        Assert.Equal(FailureReason.MissingClaim, result.Failure);
        Assert.Equal("tid", result.FailedClaim);
        Assert.True(_f.Validator.Validate(_f.Sign(_f.AccessClaims(",\"tid\":\"t1\"")), profile).IsValid);
    }

    [Fact]
    public void Validate_SignatureFailure_ReportedBeforeClaims()
    {
        var other = Tessera.Keys.JsonWebKey.Generate(Tessera.Jose.JwsAlgorithm.ES256, "k1");
        var result = _f.Validator.Validate(_f.Sign("{\"garbage\":", key: other), _f.Access);
        Assert.Equal(FailureReason.SignatureInvalid, result.Failure);
    }
}
