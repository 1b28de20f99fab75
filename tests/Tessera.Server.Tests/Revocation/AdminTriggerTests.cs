using System.Text.Json;

namespace Tessera.Server.Tests.Revocation;

/// <summary>The admin triggers at <c>/admin/triggers</c>, seen through introspection and the feed.</summary>
public sealed class AdminTriggerTests : IClassFixture<TokenServiceFixture>
{
    private readonly TokenServiceFixture _server;
    private readonly RevocationKit _kit;

    public AdminTriggerTests(TokenServiceFixture server)
    {
        _server = server;
        _kit = new RevocationKit(server);
    }

    [Theory]
    [InlineData("password_reset", new[] { "revoke_before", "revoke_refresh_families", "force_reauthentication" })]
    [InlineData("account_compromise", new[] { "revoke_before", "deny_tokens", "revoke_refresh_families", "force_reauthentication" })]
    [InlineData("termination", new[] { "revoke_before", "revoke_refresh_families", "force_reauthentication" })]
    [InlineData("role_change", new[] { "revoke_before", "revoke_refresh_families" })]
    public async Task Trigger_SubjectEvent_RevokesThatSubjectOnlyAndFeedsASet(string @event, string[] actions)
    {
        var client = await _kit.ServiceClientAsync();
        var receiver = await _kit.ReceiverAsync();
        var subject = RevocationKit.Unique("user");
        var bystander = RevocationKit.Unique("user");
        var token = await _kit.MintUserTokenAsync(subject);
        var exchanged = await _kit.ExchangedUserTokenAsync(client, subject);
        var untouched = await _kit.MintUserTokenAsync(bystander);
        var service = await _kit.ServiceTokenAsync(client);

        var record = await _kit.TriggerAsync(@event, subject: subject, reason: "ticket 42");

        Assert.Equal(actions, record.GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("action").GetString()));
        Assert.False(await _kit.IsActiveAsync(client, token));
        Assert.False(await _kit.IsActiveAsync(client, exchanged));
        Assert.True(await _kit.IsActiveAsync(client, untouched));
        Assert.True(await _kit.IsActiveAsync(client, service));

        var sets = await _kit.PollSetsAsync(receiver);
        Assert.Equal(RevocationKit.SetsOf(record).Order(), sets.Keys.Order());
        var cutoffs = new List<JsonElement>();
        foreach (var (jti, set) in sets)
        {
            var claims = await _kit.VerifySetAsync(set);
            Assert.Equal(jti, claims.TokenId);
            Assert.Equal(record.GetProperty("id").GetString(), claims.GetString("txn"));
            var (uri, payload) = RevocationKit.EventOf(claims);
            Assert.Equal(@event, payload.GetProperty("trigger").GetString());
            if (uri == RevocationKit.RevokedBefore)
            {
                cutoffs.Add(payload);
            }
        }

        var cutoff = Assert.Single(cutoffs);
        Assert.Equal("subject", cutoff.GetProperty("scope").GetString());
        Assert.Equal(subject, cutoff.GetProperty("value").GetString());
        Assert.InRange(cutoff.GetProperty("revoked_before").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddSeconds(2).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Trigger_AccountCompromise_DeniesOutstandingJtisOnTheFeed()
    {
        var client = await _kit.ServiceClientAsync();
        var receiver = await _kit.ReceiverAsync();
        var subject = RevocationKit.Unique("user");
        var first = await _kit.ExchangedUserTokenAsync(client, subject);
        var second = await _kit.ExchangedUserTokenAsync(client, subject);
        var jtis = new[] { first, second }.Select(JtiOf).ToHashSet();

        var record = await _kit.TriggerAsync("account_compromise", subject: subject);

        var deny = record.GetProperty("actions").EnumerateArray().Single(a => a.GetProperty("action").GetString() == "deny_tokens");
        Assert.Equal(jtis, deny.GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("jti").GetString()!).ToHashSet());
        var denied = new HashSet<string>();
        foreach (var set in (await _kit.PollSetsAsync(receiver)).Values)
        {
            var (uri, payload) = RevocationKit.EventOf(await _kit.VerifySetAsync(set));
            if (uri == RevocationKit.TokenDenied)
            {
                Assert.True(payload.GetProperty("exp").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeSeconds());
                denied.Add(payload.GetProperty("jti").GetString()!);
            }
        }

        Assert.Equal(jtis, denied);
    }

    [Fact]
    public async Task Trigger_TenantRemoval_RevokesThatTenantOnly()
    {
        var client = await _kit.ServiceClientAsync();
        var receiver = await _kit.ReceiverAsync();
        var tenant = RevocationKit.Unique("tenant");
        var inTenant = await _kit.MintUserTokenAsync(RevocationKit.Unique("user"), tenant);
        var exchanged = await _kit.ExchangedUserTokenAsync(client, RevocationKit.Unique("user"), tenant);
        var otherTenant = await _kit.MintUserTokenAsync(RevocationKit.Unique("user"), RevocationKit.Unique("tenant"));

        var record = await _kit.TriggerAsync("tenant_removal", tenant: tenant);

        Assert.Equal(tenant, record.GetProperty("tenant").GetString());
        Assert.False(record.TryGetProperty("subject", out _));
        Assert.False(await _kit.IsActiveAsync(client, inTenant));
        Assert.False(await _kit.IsActiveAsync(client, exchanged));
        Assert.True(await _kit.IsActiveAsync(client, otherTenant));
        var set = Assert.Single(await _kit.PollSetsAsync(receiver)).Value;
        var (uri, payload) = RevocationKit.EventOf(await _kit.VerifySetAsync(set));
        Assert.Equal(RevocationKit.RevokedBefore, uri);
        Assert.Equal("tenant", payload.GetProperty("scope").GetString());
        Assert.Equal(tenant, payload.GetProperty("value").GetString());
    }

    [Fact]
    public async Task Trigger_TokensIssuedAfterTheCutoffSecond_StayActive()
    {
        var client = await _kit.ServiceClientAsync();
        var subject = RevocationKit.Unique("user");
        var record = await _kit.TriggerAsync("password_reset", subject: subject);
        var cutoff = record.GetProperty("actions")[0].GetProperty("revoked_before").GetInt64();
        var wait = DateTimeOffset.FromUnixTimeSeconds(cutoff) - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait + TimeSpan.FromMilliseconds(50));
        }

        Assert.True(await _kit.IsActiveAsync(client, await _kit.MintUserTokenAsync(subject)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer")]
    [InlineData("Bearer not-the-admin-key")]
    [InlineData("Basic YWRtaW46YWRtaW4=")]
    [InlineData("wrong-scheme")]
    public async Task Admin_MissingOrWrongKey_Refused401(string? authorization)
    {
        var subject = RevocationKit.Unique("user");
        var client = await _kit.ServiceClientAsync();
        var token = await _kit.MintUserTokenAsync(subject);

        var (status, _, response) = await _kit.AdminAsync(HttpMethod.Post, "/admin/triggers", new { @event = "termination", subject }, authorization);
        var (listStatus, _, _) = await _kit.AdminAsync(HttpMethod.Get, "/admin/triggers", authorization: authorization);

        Assert.Equal(401, status);
        Assert.Equal(401, listStatus);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.True(await _kit.IsActiveAsync(client, token));
    }

    [Fact]
    public async Task Admin_UserAccessTokenAsCredential_Refused401()
    {
        var token = await _kit.MintUserTokenAsync(RevocationKit.Unique("user"));
        var (status, _, _) = await _kit.AdminAsync(HttpMethod.Post, "/admin/triggers", new { @event = "termination", subject = "x" }, "Bearer " + token);
        Assert.Equal(401, status);
    }

    [Theory]
    [InlineData("""{"event":"reboot","subject":"u1"}""")]
    [InlineData("""{"subject":"u1"}""")]
    [InlineData("""{"event":"tenant_removal","subject":"u1"}""")]
    [InlineData("""{"event":"password_reset","tenant":"t1"}""")]
    [InlineData("""{"event":"password_reset","subject":"u1","tenant":"t1"}""")]
    [InlineData("""{"event":"password_reset","subject":""}""")]
    [InlineData("""{"event":"password_reset","subject":"u1","subjet":"u2"}""")]
    [InlineData("""{"event":"password_reset","subject":42}""")]
    [InlineData("""["password_reset"]""")]
    [InlineData("not json")]
    public async Task Admin_BadRequest_Refused400(string body)
    {
        var (status, error, _) = await _kit.AdminAsync(HttpMethod.Post, "/admin/triggers", body);
        Assert.Equal(400, status);
        Assert.Equal("invalid_request", error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Admin_List_RecordsWhoWhatWhen()
    {
        var subject = RevocationKit.Unique("user");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var fired = await _kit.TriggerAsync("role_change", subject: subject, reason: "promoted to billing admin");

        var (status, list, _) = await _kit.AdminAsync(HttpMethod.Get, "/admin/triggers?limit=50");

        Assert.Equal(200, status);
        var record = list.GetProperty("triggers").EnumerateArray().Single(t => t.GetProperty("id").GetString() == fired.GetProperty("id").GetString());
        Assert.Equal("role_change", record.GetProperty("event").GetString());
        Assert.Equal(subject, record.GetProperty("subject").GetString());
        Assert.Equal("admin@127.0.0.1", record.GetProperty("actor").GetString());
        Assert.Equal("promoted to billing admin", record.GetProperty("reason").GetString());
        Assert.InRange(DateTimeOffset.Parse(record.GetProperty("created_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture), before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(fired.GetProperty("actions").GetRawText(), record.GetProperty("actions").GetRawText());
        var recorded = record.GetProperty("actions").EnumerateArray().Where(a => a.GetProperty("status").GetString() == "recorded");
        Assert.Equal(["revoke_refresh_families"], recorded.Select(a => a.GetProperty("action").GetString()));
        Assert.Equal(400, (await _kit.AdminAsync(HttpMethod.Get, "/admin/triggers?limit=0")).Status);
    }

    private static string JtiOf(string token) =>
        JsonDocument.Parse(Tessera.Jose.Base64Url.DecodeOrNull(token.Split('.')[1])).RootElement.GetProperty("jti").GetString()!;
}
