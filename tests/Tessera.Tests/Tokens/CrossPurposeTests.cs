using Tessera.Tokens;

namespace Tessera.Tests.Tokens;

public class CrossPurposeTests
{
    private readonly TokenFixture _f = new();

    private string Issue(TokenProfile profile, string? subject = "user-1", string? nonce = null) =>
        _f.Issuer_.Issue(profile, _f.SigningKey, new TokenDescriptor
        {
            Subject = profile.Kind == TokenKind.Service ? null : subject,
            ClientId = profile.Kind == TokenKind.Id ? null : TokenFixture.Client,
            Audiences = profile.Audiences.ToArray(),
            Nonce = nonce,
        }).Token;

    [Fact]
    public void Validate_IdTokenAtAccessProfile_WrongType()
    {
        var idProfileForApi = _f.Profile(TokenKind.Id, TokenFixture.Api);
        var idToken = Issue(idProfileForApi);
        Assert.Equal(FailureReason.WrongType, _f.Validator.Validate(idToken, _f.Access).Failure);
    }

    [Fact]
    public void Validate_AccessTokenAtIdProfile_WrongType()
    {
        var accessForClient = _f.Profile(TokenKind.Access, TokenFixture.Client);
        Assert.Equal(FailureReason.WrongType, _f.Validator.Validate(Issue(accessForClient), _f.Id).Failure);
    }

    [Fact]
    public void Validate_ServiceTokenAtUserProfile_WrongType()
    {
        Assert.Equal(FailureReason.WrongType, _f.Validator.Validate(Issue(_f.Service), _f.Access).Failure);
    }

    [Fact]
    public void Validate_UserAccessTokenAtServiceProfile_WrongType()
    {
        Assert.Equal(FailureReason.WrongType, _f.Validator.Validate(Issue(_f.Access), _f.Service).Failure);
    }

    [Fact]
    public void Validate_ServiceTypedTokenNamingAUser_WrongType()
    {
        var claims = _f.AccessClaims(); // sub user-1, client_id web-app
        var result = _f.Validator.Validate(_f.Sign(claims, "service+jwt"), _f.Service);
        Assert.Equal(FailureReason.WrongType, result.Failure);
        Assert.Equal("sub", result.FailedClaim);
    }

    [Fact]
    public void Validate_TokenForAudienceAAtB_WrongAudience()
    {
        var billing = _f.Profile(TokenKind.Access, "api://billing");
        Assert.True(_f.Validator.Validate(Issue(_f.Access), _f.Access).IsValid);
        Assert.Equal(FailureReason.WrongAudience, _f.Validator.Validate(Issue(_f.Access), billing).Failure);
    }

    [Fact]
    public void Validate_EachKindAtItsOwnProfile_Valid()
    {
        Assert.True(_f.Validator.Validate(Issue(_f.Access), _f.Access).IsValid);
        Assert.True(_f.Validator.Validate(Issue(_f.Service), _f.Service).IsValid);
        Assert.True(_f.Validator.Validate(Issue(_f.Id), _f.Id).IsValid);
    }

    [Fact]
    public void Validate_IdTokenWithoutTyp_AcceptedAsIdOnly()
    {
        var now = _f.Now;
        var claims = $$"""{"iss":"{{TokenFixture.Issuer}}","sub":"u","aud":"{{TokenFixture.Client}}","exp":{{now + 60}},"iat":{{now}}}""";
        Assert.True(_f.Validator.Validate(_f.Sign(claims, typ: null), _f.Id).IsValid);
        Assert.Equal(FailureReason.WrongType, _f.Validator.Validate(_f.Sign(claims, typ: null), _f.Access).Failure);
    }

    [Fact]
    public void Validate_IdTokenNonce_CheckedWhenExpected()
    {
        var token = Issue(_f.Id, nonce: "n-123");
        Assert.True(_f.Validator.Validate(token, _f.Id, _f.Keys, "n-123").IsValid);
        var wrong = _f.Validator.Validate(token, _f.Id, _f.Keys, "n-999");
        Assert.Equal((FailureReason.InvalidClaim, "nonce"), (wrong.Failure, wrong.FailedClaim));
        var missing = _f.Validator.Validate(Issue(_f.Id), _f.Id, _f.Keys, "n-123");
        Assert.Equal((FailureReason.MissingClaim, "nonce"), (missing.Failure, missing.FailedClaim));
    }

    [Fact]
    public void Validate_IdTokenSeveralAudiencesWithoutAzp_MissingAzp()
    {
        var now = _f.Now;
        var claims = $$"""{"iss":"{{TokenFixture.Issuer}}","sub":"u","aud":["{{TokenFixture.Client}}","other"],"exp":{{now + 60}},"iat":{{now}}}""";
        var result = _f.Validator.Validate(_f.Sign(claims, "JWT"), _f.Id);
        Assert.Equal((FailureReason.MissingClaim, "azp"), (result.Failure, result.FailedClaim));
        var withAzp = claims.Replace("\"sub\"", $"\"azp\":\"{TokenFixture.Client}\",\"sub\"");
        Assert.True(_f.Validator.Validate(_f.Sign(withAzp, "JWT"), _f.Id).IsValid);
        var otherAzp = claims.Replace("\"sub\"", "\"azp\":\"other\",\"sub\"");
        Assert.Equal(FailureReason.InvalidClaim, _f.Validator.Validate(_f.Sign(otherAzp, "JWT"), _f.Id).Failure);
    }
}
