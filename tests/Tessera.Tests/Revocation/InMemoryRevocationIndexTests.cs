using Microsoft.Extensions.Time.Testing;
using Tessera.Revocation;
using Tessera.Tests.Tokens;
using Tessera.Tokens;

namespace Tessera.Tests.Revocation;

public class InMemoryRevocationIndexTests
{
    private readonly TokenFixture _f = new();

    [Theory]
    [InlineData(RevocationScope.Subject, "user-1")]
    [InlineData(RevocationScope.Tenant, "t1")]
    [InlineData(RevocationScope.Client, TokenFixture.Client)]
    public void Validate_TokenIssuedBeforeCutoff_Revoked(RevocationScope scope, string value)
    {
        var token = _f.Sign(_f.AccessClaims(",\"tid\":\"t1\""));
        Assert.True(_f.Validator.Validate(token, _f.Access).IsValid);

        _f.Time.Advance(TimeSpan.FromSeconds(10));
        _f.Revocation.RevokeBefore(scope, value, _f.Time.GetUtcNow());

        var result = _f.Validator.Validate(token, _f.Access);
        Assert.Equal(FailureReason.Revoked, result.Failure);

        // A token issued after the cut-off second is fine again.
        _f.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(_f.Validator.Validate(_f.Sign(_f.AccessClaims(",\"tid\":\"t1\"")), _f.Access).IsValid);
    }

    [Fact]
    public void Validate_OtherSubjectCutoff_NotRevoked()
    {
        var token = _f.Sign(_f.AccessClaims());
        _f.Revocation.RevokeBefore(RevocationScope.Subject, "user-2", _f.Time.GetUtcNow().AddSeconds(5));
        Assert.True(_f.Validator.Validate(token, _f.Access).IsValid);
    }

    [Fact]
    public void RevokeBefore_EarlierCutoff_NeverMovesBack()
    {
        _f.Revocation.RevokeBefore(RevocationScope.Subject, "u", TokenFixture.Start.AddHours(1));
        _f.Revocation.RevokeBefore(RevocationScope.Subject, "u", TokenFixture.Start);
        Assert.Equal(TokenFixture.Start.AddHours(1), _f.Revocation.CutoffFor(RevocationScope.Subject, "u"));
    }

    [Fact]
    public void TryDeny_TokenId_RevokedUntilExpiryThenPurged()
    {
        var claims = _f.AccessClaims();
        var token = _f.Sign(claims);
        var jti = _f.Validator.Validate(token, _f.Access).Claims!.TokenId!;
        Assert.True(_f.Revocation.TryDeny(jti, _f.Time.GetUtcNow().AddMinutes(5)));
        Assert.Equal(FailureReason.Revoked, _f.Validator.Validate(token, _f.Access).Failure);
        Assert.Equal(1, _f.Revocation.DeniedTokenCount);

        _f.Time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(1, _f.Revocation.PurgeExpired());
        Assert.Equal(0, _f.Revocation.DeniedTokenCount);
    }

    [Fact]
    public void TryDeny_FullOfLiveEntries_RefusesInsteadOfForgetting()
    {
        var time = new FakeTimeProvider(TokenFixture.Start);
        var index = new InMemoryRevocationIndex(time, maxDeniedTokens: 3);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(index.TryDeny($"j{i}", TokenFixture.Start.AddMinutes(10)));
        }

        Assert.False(index.TryDeny("j3", TokenFixture.Start.AddMinutes(10)));
        var query = new RevocationQuery([], [], [], "j0", 0);
        Assert.True(index.IsRevoked(in query));

        time.Advance(TimeSpan.FromMinutes(11));
        Assert.True(index.TryDeny("j4", time.GetUtcNow().AddMinutes(10)));
        Assert.Equal(1, index.DeniedTokenCount);
    }

    [Fact]
    public void TryDeny_AlreadyExpired_NotStored()
    {
        Assert.True(_f.Revocation.TryDeny("old", TokenFixture.Start.AddSeconds(-1)));
        Assert.Equal(0, _f.Revocation.DeniedTokenCount);
    }

    [Fact]
    public void IsRevoked_EmptyQuery_False()
    {
        _f.Revocation.RevokeBefore(RevocationScope.Subject, "u", TokenFixture.Start);
        var query = new RevocationQuery([], [], [], [], 0);
        Assert.False(_f.Revocation.IsRevoked(in query));
    }
}
