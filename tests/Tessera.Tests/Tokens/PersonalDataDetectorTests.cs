using System.Text.Json;
using Tessera.Tokens;

namespace Tessera.Tests.Tokens;

/// <summary>The personal-data classifier shared by the token issuer (claims minimisation) and tessera inspect / lint.</summary>
public sealed class PersonalDataDetectorTests
{
    [Theory]
    // By name
    [InlineData("email", "\"someone\"", PersonalDataDetector.Email)]
    [InlineData("https://example.com/claims/email", "\"x\"", PersonalDataDetector.Email)]
    [InlineData("phone_number", "\"12345\"", PersonalDataDetector.Phone)]
    [InlineData("address", """{"street_address":"1 High Street"}""", PersonalDataDetector.PostalAddress)]
    [InlineData("birthdate", "\"1990-01-31\"", PersonalDataDetector.BirthDate)]
    [InlineData("ssn", "\"x\"", PersonalDataDetector.NationalId)]
    [InlineData("passport_number", "\"x\"", PersonalDataDetector.NationalId)]
    [InlineData("given_name", "\"Alice\"", PersonalDataDetector.PersonName)]
    [InlineData("client_ip", "\"203.0.113.7\"", PersonalDataDetector.IpAddress)]
    [InlineData("password", "\"hunter2\"", PersonalDataDetector.Password)]
    [InlineData("db_password_hash", "\"x\"", PersonalDataDetector.Password)]
    [InlineData("client_secret", "\"x\"", PersonalDataDetector.Secret)]
    [InlineData("refresh_token", "\"x\"", PersonalDataDetector.Secret)]
    [InlineData("x-api-key", "\"x\"", PersonalDataDetector.ApiKey)]
    [InlineData("user", """{"profile":{"email":"a"}}""", PersonalDataDetector.Email)]
    // By value
    [InlineData("sub", "\"alice@example.com\"", PersonalDataDetector.Email)]
    [InlineData("contact", "\"+44 20 7946 0958\"", PersonalDataDetector.Phone)]
    [InlineData("card", "\"4111 1111 1111 1111\"", PersonalDataDetector.CardNumber)]
    [InlineData("card", "5500000000000004", PersonalDataDetector.CardNumber)]
    [InlineData("payout", "\"GB82 WEST 1234 5698 7654 32\"", PersonalDataDetector.BankAccount)]
    [InlineData("tax", "\"123-45-6789\"", PersonalDataDetector.NationalId)]
    [InlineData("upstream", "\"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln\"", PersonalDataDetector.Secret)]
    [InlineData("aws", "\"AKIAIOSFODNN7EXAMPLE\"", PersonalDataDetector.ApiKey)]
    [InlineData("contacts", """["bob@example.com"]""", PersonalDataDetector.Email)]
    public void Classify_PersonalOrSecretClaim_ReturnsItsCategory(string name, string json, string expected) =>
        Assert.Equal(expected, Classify(name, json));

    [Theory]
    [InlineData("sub", "\"u_8f3a2c\"")]
    [InlineData("email_verified", "true")]
    [InlineData("phone_number_verified", "false")]
    [InlineData("password_changed_at", "1717200000")]
    [InlineData("iss", "\"https://id.example.com\"")]
    [InlineData("aud", """["api://orders"]""")]
    [InlineData("scope", "\"openid email phone\"")]
    [InlineData("jti", "\"4111111111111111\"")]
    [InlineData("sub", "4111111111111111")]
    [InlineData("order", "\"4111 1111 1111 1112\"")]
    [InlineData("tenant", "\"GB00 WEST 1234 5698 7654 32\"")]
    [InlineData("roles", """["admin","editor"]""")]
    [InlineData("amr", """["pwd","mfa"]""")]
    [InlineData("exp", "1717200000")]
    [InlineData("nickname", "null")]
    public void Classify_OrdinaryClaim_ReturnsNull(string name, string json) =>
        Assert.Null(Classify(name, json));

    [Fact]
    public void Classify_DeeplyNestedValue_StopsWithoutError()
    {
        var json = string.Concat(Enumerable.Repeat("{\"a\":", 40)) + "\"x@example.com\"" + new string('}', 40);
        Assert.Null(Classify("data", json));
    }

    [Theory]
    [InlineData(PersonalDataDetector.Password, true)]
    [InlineData(PersonalDataDetector.Secret, true)]
    [InlineData(PersonalDataDetector.ApiKey, true)]
    [InlineData(PersonalDataDetector.Email, false)]
    [InlineData(PersonalDataDetector.CardNumber, false)]
    public void IsCredential_SeparatesCredentialsFromPersonalData(string category, bool expected) =>
        Assert.Equal(expected, PersonalDataDetector.IsCredential(category));

    [Fact]
    public void Describe_GivesAPhraseWithItsArticle()
    {
        Assert.Equal("an email address", PersonalDataDetector.Describe(PersonalDataDetector.Email));
        Assert.Equal("an API key", PersonalDataDetector.Describe(PersonalDataDetector.ApiKey));
    }

    private static string? Classify(string name, string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        return PersonalDataDetector.Classify(name, document.RootElement);
    }
}
