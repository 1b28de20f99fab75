using System.Text.Json;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Tokens;

namespace Tessera.Tests.Tokens;

public class TokenIssuerTests
{
    private readonly TokenFixture _f = new();

    private TokenDescriptor Descriptor(Dictionary<string, JsonElement>? claims = null, string subject = "user-1") => new()
    {
        Subject = subject,
        ClientId = TokenFixture.Client,
        Audiences = [TokenFixture.Api],
        Claims = claims ?? [],
    };

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Theory]
    [InlineData("email", "\"alice@example.com\"")]
    [InlineData("phone_number", "\"+14155550100\"")]
    [InlineData("address", "{\"street\":\"1 Main St\"}")]
    [InlineData("birthdate", "\"1990-01-01\"")]
    [InlineData("ssn", "\"123-45-6789\"")]
    [InlineData("card", "\"4111111111111111\"")]
    [InlineData("password", "\"hunter2\"")]
    [InlineData("client_secret", "\"s3cr3t\"")]
    [InlineData("api_key", "\"AKIAIOSFODNN7EXAMPLE\"")]
    [InlineData("contact", "\"bob@example.org\"")]
    public void Issue_PersonalLookingClaim_Refused(string name, string json)
    {
        var e = Assert.Throws<ClaimRejectedException>(() =>
            _f.Issuer_.Issue(_f.Access, _f.SigningKey, Descriptor(new() { [name] = Json(json) })));
        Assert.Contains(name, e.Message, StringComparison.Ordinal);
        Assert.Contains("AllowedPersonalClaims", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(json.Trim('"'), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Issue_EmailAsSubject_Refused()
    {
        Assert.Throws<ClaimRejectedException>(() => _f.Issuer_.Issue(_f.Access, _f.SigningKey, Descriptor(subject: "alice@example.com")));
    }

    [Fact]
    public void Issue_PersonalClaimAllowedByProfile_Issued()
    {
        var profile = _f.Profile(TokenKind.Access, TokenFixture.Api, o => o.AllowedPersonalClaims.Add("email"));
        var issued = _f.Issuer_.Issue(profile, _f.SigningKey, Descriptor(new() { ["email"] = Json("\"alice@example.com\"") }));
        var result = _f.Validator.Validate(issued.Token, profile);
        Assert.True(result.IsValid);
        Assert.Equal("alice@example.com", result.Claims!.GetString("email"));
    }

    [Theory]
    [InlineData("iss")]
    [InlineData("exp")]
    [InlineData("aud")]
    [InlineData("tid")]
    public void Issue_RegisteredNameInClaims_Refused(string name)
    {
        Assert.Throws<ClaimRejectedException>(() => _f.Issuer_.Issue(_f.Access, _f.SigningKey, Descriptor(new() { [name] = Json("\"x\"") })));
    }

    [Fact]
    public void Issue_LifetimeLongerThanProfile_Capped()
    {
        var issued = _f.Issuer_.Issue(_f.Access, _f.SigningKey, new TokenDescriptor
        {
            Subject = "u",
            ClientId = "c",
            Audiences = [TokenFixture.Api],
            Lifetime = TimeSpan.FromDays(30),
        });
        Assert.Equal(TimeSpan.FromMinutes(5), issued.ExpiresAt - issued.IssuedAt);
    }

    [Fact]
    public void Issue_TokenIds_AreRandom128Bit()
    {
        var ids = Enumerable.Range(0, 50).Select(_ => _f.Issuer_.Issue(_f.Access, _f.SigningKey, Descriptor()).TokenId).ToHashSet();
        Assert.Equal(50, ids.Count);
        Assert.All(ids, id => Assert.Equal(16, Base64Url.DecodeOrNull(id)!.Length));
    }

    [Fact]
    public void Issue_ServiceTokenWithUserSubject_Refused()
    {
        Assert.Throws<ArgumentException>(() => _f.Issuer_.Issue(_f.Service, _f.SigningKey, Descriptor(subject: "user-1")));
        var issued = _f.Issuer_.Issue(_f.Service, _f.SigningKey, new TokenDescriptor { ClientId = "svc", Audiences = [TokenFixture.Api] });
        var result = _f.Validator.Validate(issued.Token, _f.Service);
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal("svc", result.Claims!.Subject);
    }

    [Fact]
    public void Issue_PublicKeyOrForeignAlgorithm_Refused()
    {
        Assert.Throws<ArgumentException>(() => _f.Issuer_.Issue(_f.Access, _f.SigningKey.ToPublicKey(), Descriptor()));
        Assert.Throws<ArgumentException>(() => _f.Issuer_.Issue(_f.Access, JsonWebKey.Generate(JwsAlgorithm.EdDSA), Descriptor()));
    }
}
