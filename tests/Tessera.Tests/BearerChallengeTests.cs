using CsCheck;
using Tessera.Tests.Tokens;
using Tessera.Tokens;

namespace Tessera.Tests;

public class BearerChallengeTests
{
    [Fact]
    public void For_EveryReason_HasItsOwnDescription()
    {
        var reasons = Enum.GetValues<FailureReason>();
        var descriptions = reasons.Select(BearerChallenge.Describe).ToList();
        Assert.Equal(descriptions.Count, descriptions.Distinct().Count());
        Assert.All(reasons, r => Assert.NotEqual("unknown", r.ToCode()));
    }

    [Fact]
    public void For_InsufficientScope_Is403WithScope()
    {
        var challenge = BearerChallenge.For(FailureReason.InsufficientScope, "orders:read");
        Assert.Equal(403, challenge.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", error_description=\"The token lacks the scope this resource requires.\", scope=\"orders:read\"", challenge.ToHeaderValue());
        Assert.Equal(401, BearerChallenge.For(FailureReason.Expired).StatusCode);
        Assert.Equal(400, BearerChallenge.InvalidRequest(InvalidRequestReason.TokenInQueryOrBody).StatusCode);
    }

    // Whatever a hostile token holds, the challenge a client receives never repeats it.
    [Fact]
    public void For_RejectedHostileTokens_NeverEchoTokenValues()
    {
        var f = new TokenFixture();
        Gen.String[Gen.Char['!', '~'], 6, 24].Select(Gen.Int[0, 5]).Sample((marker, slot) =>
        {
            var now = f.Now;
            var claims = slot switch
            {
                0 => f.AccessClaims().Replace(TokenFixture.Issuer, marker),
                1 => f.AccessClaims().Replace(TokenFixture.Api, marker),
                2 => f.AccessClaims($",\"{Escape(marker)}\":1,\"nbf\":{now + 999}"),
                3 => f.AccessClaims().Replace("user-1", Escape(marker)).Replace($"\"exp\":{now + 300}", $"\"exp\":{now - 100}"),
                4 => f.AccessClaims().Replace(TokenFixture.Client, Escape(marker)).Replace("\"jti\"", "\"x\":0,\"jti\""),
                _ => f.AccessClaims().Replace("\"sub\":\"user-1\"", $"\"sub\":\"{Escape(marker)}\",\"sub\":1"),
            };
            var token = f.Sign(claims, typ: slot == 4 ? marker.Replace("\"", "", StringComparison.Ordinal) : "at+jwt");
            var result = f.Validator.Validate(token, f.Access);
            if (result.IsValid)
            {
                return true;
            }

            var header = BearerChallenge.For(result.Failure!.Value).ToHeaderValue();
            return !header.Contains(marker, StringComparison.Ordinal) && !header.Contains(token, StringComparison.Ordinal)
                && !result.Detail!.Contains(marker, StringComparison.Ordinal);
        }, iter: 300);
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
