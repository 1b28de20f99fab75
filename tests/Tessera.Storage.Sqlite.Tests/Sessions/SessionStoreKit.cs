using System.Security.Cryptography;
using System.Text;
using Tessera.Storage.Sqlite.Sessions;

namespace Tessera.Storage.Sqlite.Tests.Sessions;

/// <summary>Stores over one temporary database, and codes and tokens to present to them.</summary>
internal sealed class SessionStoreKit : IDisposable
{
    public static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-05-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    public static readonly TimeSpan Idle = TimeSpan.FromDays(7);
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    private readonly TempDatabase _temp = new();

    public SessionStoreKit()
    {
        var database = SqliteDatabase.Open(_temp.Path);
        Codes = new SqliteAuthorizationCodeStore(database);
        Refresh = new SqliteRefreshTokenStore(database);
        Sessions = new SqliteSignInSessionStore(database);
    }

    public SqliteAuthorizationCodeStore Codes { get; }

    public SqliteRefreshTokenStore Refresh { get; }

    public SqliteSignInSessionStore Sessions { get; }

    public void Dispose() => _temp.Dispose();

    public static byte[] Hash(string value) => SHA256.HashData(Encoding.ASCII.GetBytes(value));

    public static string Challenge(string verifier) => Tessera.Jose.Base64Url.Encode(Hash(verifier));

    public static AuthorizationCodeGrant Grant(string user = "usr_1", string? tenant = null, string session = "sid_1", DateTimeOffset? issued = null) => new()
    {
        ClientId = "app",
        RedirectUri = "https://app.example/cb",
        CodeChallenge = Challenge("verifier"),
        UserId = user,
        Tenant = tenant,
        SessionId = session,
        Scopes = ["openid", "read"],
        Audiences = ["api://a"],
        Nonce = "n",
        AuthenticatedAt = issued ?? Now,
        CreatedAt = issued ?? Now,
        ExpiresAt = (issued ?? Now).AddSeconds(60),
    };

    /// <summary>Stores a code and redeems it at <paramref name="at"/>, creating a family whose first refresh token is "t0".</summary>
    public async Task<RefreshFamily> FamilyAsync(string code = "code", DateTimeOffset? at = null, string user = "usr_1", string? tenant = null, string session = "sid_1")
    {
        var redeemAt = at ?? Now.AddSeconds(1);
        await Codes.AddAsync(Hash(code), Grant(user, tenant, session, redeemAt.AddSeconds(-1)));
        var plan = new FamilyPlan("fam_" + code, Now.AddDays(30), Hash(code + "-t0"), Now + Idle);
        var redemption = await Codes.RedeemAsync(Hash(code), "app", "https://app.example/cb", Challenge("verifier"), plan, redeemAt);
        Assert.Equal(CodeRedemptionStatus.Redeemed, redemption.Status);
        return redemption.Family!;
    }

    public Task<RefreshRotation> RotateAsync(string token, string successor, DateTimeOffset at, TimeSpan? grace = null, string client = "app", Func<RefreshFamily, bool>? cutOff = null) =>
        Refresh.RotateAsync(Hash(token), Hash(successor), client, at, grace ?? Grace, Idle, cutOff ?? (_ => false));
}
