using CsCheck;
using Tessera.Tokens;

namespace Tessera.Tests.Tokens;

/// <summary>Signed but hostile claims sets: the validator answers every one with a result and never throws.</summary>
public class ClaimsPropertyTests
{
    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", ",", ":", "\"iss\"", "\"sub\"", "\"aud\"", "\"exp\"", "\"nbf\"", "\"iat\"", "\"jti\"", "\"client_id\"",
        "\"scope\"", "\"tid\"", "\"azp\"", "\"nonce\"", "\"x\"", "\"\\u0061ud\"", "\"\\ud800\"", "1", "-1", "0.5", "1e308", "1e999",
        "-0", "true", "false", "null", "\"\"", "\"https://id.example.com\"", "\"api://orders\"", "\"a b\"", " ", "\u00e9", "\"\\\"\"",
        "99999999999999999999999", "\u0000", "/*", "*/",
    ];

    [Fact]
    public void Validate_RandomSignedClaims_NeverThrows()
    {
        var f = new TokenFixture();
        var validator = f.Validator;
        Gen.Int[0, Fragments.Length - 1].Array[0, 40].Select(Gen.Int[0, 3]).Sample((parts, typ) =>
        {
            var claims = string.Concat(parts.Select(i => Fragments[i]));
            var token = f.Sign(claims, typ switch { 0 => "at+jwt", 1 => "JWT", 2 => null, _ => "service+jwt" });
            var result = validator.Validate(token, f.Access);
            return result.IsValid ? result.Claims is not null : result.Failure is not null && result.Claims is null;
        }, iter: 2000);
    }

    [Fact]
    public void Validate_StructuredRandomClaims_ReasonIsAlwaysAClaimOrStructureCode()
    {
        var f = new TokenFixture();
        var allowed = new HashSet<FailureReason>
        {
            FailureReason.Malformed, FailureReason.TooLarge, FailureReason.WrongIssuer, FailureReason.WrongAudience, FailureReason.Expired,
            FailureReason.NotYetValid, FailureReason.IssuedInFuture, FailureReason.LifetimeTooLong, FailureReason.MissingClaim, FailureReason.InvalidClaim,
        };
        string[] values = ["1", "\"s\"", "[]", "[\"api://orders\"]", "{}", "null", "true", "1.5", "-5", "\"api://orders\"", "\"https://id.example.com\""];
        string[] names = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti", "client_id", "scope", "other"];
        var member = Gen.Int[0, names.Length - 1].Select(Gen.Int[0, values.Length - 1], (n, v) => (names[n], values[v]));
        member.Array[0, 12].Sample(members =>
        {
            var claims = "{" + string.Join(",", members.Select(m => $"\"{m.Item1}\":{m.Item2}")) + "}";
            var result = f.Validator.Validate(f.Sign(claims), f.Access);
            return result.IsValid || allowed.Contains(result.Failure!.Value);
        }, iter: 2000);
    }
}
