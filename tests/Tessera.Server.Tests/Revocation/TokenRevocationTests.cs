namespace Tessera.Server.Tests.Revocation;

/// <summary>RFC 7009 at <c>POST /connect/revoke</c>.</summary>
public sealed class TokenRevocationTests : IClassFixture<TokenServiceFixture>
{
    private readonly TokenServiceFixture _server;
    private readonly RevocationKit _kit;

    public TokenRevocationTests(TokenServiceFixture server)
    {
        _server = server;
        _kit = new RevocationKit(server);
    }

    [Fact]
    public async Task Revoke_OwnToken_IntrospectsInactiveAndIsRecorded()
    {
        var client = await _kit.ServiceClientAsync();
        var token = await _kit.ServiceTokenAsync(client);
        var other = await _kit.ServiceTokenAsync(client);
        Assert.True(await _kit.IsActiveAsync(client, token));

        var (status, _) = await _server.PostFormAsync("/connect/revoke", client.Id, client.Secret, ("token", token), ("token_type_hint", "access_token"));

        Assert.Equal(200, status);
        Assert.False(await _kit.IsActiveAsync(client, token));
        Assert.True(await _kit.IsActiveAsync(client, other));
        var (_, list, _) = await _kit.AdminAsync(HttpMethod.Get, "/admin/triggers");
        var record = list.GetProperty("triggers").EnumerateArray().First(t => t.GetProperty("actor").GetString() == "client:" + client.Id);
        Assert.Equal("rfc7009", record.GetProperty("event").GetString());
        var deny = Assert.Single(record.GetProperty("actions").EnumerateArray());
        Assert.Equal("deny_tokens", deny.GetProperty("action").GetString());
    }

    [Fact]
    public async Task Revoke_AnotherClientsToken_RefusedAndStillActive()
    {
        var owner = await _kit.ServiceClientAsync();
        var intruder = await _kit.ServiceClientAsync();
        var token = await _kit.ServiceTokenAsync(owner);

        var (status, body) = await _server.PostFormAsync("/connect/revoke", intruder.Id, intruder.Secret, ("token", token));

        Assert.Equal(400, status);
        Assert.Equal("unauthorized_client", body.GetProperty("error").GetString());
        Assert.True(await _kit.IsActiveAsync(owner, token));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")]
    [InlineData("eyJhbGciOiJFUzI1NiIsImtpZCI6Im5vcGUiLCJ0eXAiOiJzZXJ2aWNlK2p3dCJ9.e30.AAAA")]
    public async Task Revoke_UnknownOrInvalidToken_Returns200(string token)
    {
        var client = await _kit.ServiceClientAsync();
        var (status, _) = await _server.PostFormAsync("/connect/revoke", client.Id, client.Secret, ("token", token), ("token_type_hint", "refresh_token"));
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Revoke_Twice_SecondIsNoOp200()
    {
        var client = await _kit.ServiceClientAsync();
        var token = await _kit.ServiceTokenAsync(client);
        Assert.Equal(200, (await _server.PostFormAsync("/connect/revoke", client.Id, client.Secret, ("token", token))).Status);
        Assert.Equal(200, (await _server.PostFormAsync("/connect/revoke", client.Id, client.Secret, ("token", token), ("token_type_hint", "something_else"))).Status);
        Assert.False(await _kit.IsActiveAsync(client, token));
    }

    [Fact]
    public async Task Revoke_WrongHint_IgnoredAndTokenRevoked()
    {
        var client = await _kit.ServiceClientAsync();
        var token = await _kit.ServiceTokenAsync(client);
        var (status, _) = await _server.PostFormAsync("/connect/revoke", client.Id, client.Secret, ("token", token), ("token_type_hint", "refresh_token"));
        Assert.Equal(200, status);
        Assert.False(await _kit.IsActiveAsync(client, token));
    }

    [Fact]
    public async Task Revoke_WithoutClientAuthentication_Refused401()
    {
        var client = await _kit.ServiceClientAsync();
        var token = await _kit.ServiceTokenAsync(client);
        var (status, body) = await _server.PostFormAsync("/connect/revoke", null, null, ("token", token));
        Assert.Equal(401, status);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
        var (wrong, _) = await _server.PostFormAsync("/connect/revoke", client.Id, "not-the-secret", ("token", token));
        Assert.Equal(401, wrong);
        Assert.True(await _kit.IsActiveAsync(client, token));
    }

    [Fact]
    public async Task Revoke_MissingToken_InvalidRequest()
    {
        var client = await _kit.ServiceClientAsync();
        var (status, body) = await _server.PostFormAsync("/connect/revoke", client.Id, client.Secret, ("token_type_hint", "access_token"));
        Assert.Equal(400, status);
        Assert.Equal("invalid_request", body.GetProperty("error").GetString());
    }
}
