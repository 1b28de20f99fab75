using Tessera.Storage.Sqlite.Sessions;
using static Tessera.Storage.Sqlite.Tests.Sessions.SessionStoreKit;

namespace Tessera.Storage.Sqlite.Tests.Sessions;

/// <summary>Codes: one use, 60 s, bound to the client, the redirect URI and the PKCE challenge.</summary>
public sealed class SqliteAuthorizationCodeStoreTests : IDisposable
{
    private readonly SessionStoreKit _kit = new();

    public void Dispose() => _kit.Dispose();

    private static FamilyPlan Plan(string id = "fam_1") => new(id, Now.AddDays(30), Hash(id + "-t0"), Now.AddDays(7));

    private Task<CodeRedemption> RedeemAsync(DateTimeOffset at, string client = "app", string? redirect = "https://app.example/cb", string? verifier = "verifier", string family = "fam_1") =>
        _kit.Codes.RedeemAsync(Hash("code"), client, redirect, verifier is null ? null : Challenge(verifier), Plan(family), at);

    [Theory]
    [InlineData(59, "app", "https://app.example/cb", "verifier", null)]
    [InlineData(60, "app", "https://app.example/cb", "verifier", "expired")]
    [InlineData(1, "other", "https://app.example/cb", "verifier", "another client")]
    [InlineData(1, "app", "https://app.example/cb/", "verifier", "does not match")]
    [InlineData(1, "app", null, "verifier", "redirect_uri is required")]
    [InlineData(1, "app", "https://app.example/cb", "other-verifier", "code_verifier does not match")]
    [InlineData(1, "app", "https://app.example/cb", null, "code_verifier is required")]
    public async Task Redeem_Bindings(int seconds, string client, string? redirect, string? verifier, string? problem)
    {
        await _kit.Codes.AddAsync(Hash("code"), Grant());

        var result = await RedeemAsync(Now.AddSeconds(seconds), client, redirect, verifier);

        Assert.Equal(problem is null ? CodeRedemptionStatus.Redeemed : CodeRedemptionStatus.Refused, result.Status);
        if (problem is not null)
        {
            Assert.Contains(problem, result.Problem, StringComparison.Ordinal);
            Assert.Null(result.Family);
        }
        else
        {
            Assert.Equal("usr_1", result.Family!.UserId);
            Assert.Equal(["openid", "read"], result.Family.Scopes);
            Assert.Equal("n", result.Code!.Nonce);
        }

        // Whatever happened, the code is spent.
        Assert.NotEqual(CodeRedemptionStatus.Redeemed, (await RedeemAsync(Now.AddSeconds(2), family: "fam_2")).Status);
    }

    [Fact]
    public async Task Redeem_Twice_RevokesTheFamilyWithItsTokens()
    {
        await _kit.Codes.AddAsync(Hash("code"), Grant());
        var first = await RedeemAsync(Now.AddSeconds(1));
        await _kit.Refresh.AttachTokensAsync(first.Family!.Id, [new Tessera.Revocation.DeniedToken("jti-a", Now.AddMinutes(5), "usr_1")], Now.AddSeconds(1));

        var second = await RedeemAsync(Now.AddSeconds(2), client: "someone-else", family: "fam_2");

        Assert.Equal(CodeRedemptionStatus.Reused, second.Status);
        Assert.Equal("fam_1", second.Family!.Id);
        Assert.Equal("code_reused", second.Family.RevokeReason);
        Assert.Equal("jti-a", Assert.Single(second.TokensToDeny).TokenId);
        Assert.Equal(RefreshRotationStatus.Refused, (await _kit.RotateAsync("fam_1-t0", "t1", Now.AddSeconds(3))).Status);
    }

    [Fact]
    public async Task Redeem_InParallel_OnlyOneSucceeds()
    {
        await _kit.Codes.AddAsync(Hash("code"), Grant());
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => RedeemAsync(Now.AddSeconds(1), family: "fam_" + i))));
        Assert.Single(results, r => r.Status == CodeRedemptionStatus.Redeemed);
        Assert.All(results.Where(r => r.Status != CodeRedemptionStatus.Redeemed), r => Assert.Equal(CodeRedemptionStatus.Reused, r.Status));
    }

    [Fact]
    public async Task Redeem_UnknownCode_Refused() =>
        Assert.Equal(CodeRedemptionStatus.Refused, (await RedeemAsync(Now)).Status);
}
