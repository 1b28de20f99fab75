using Microsoft.Extensions.DependencyInjection;
using Tessera.Clients;
using Tessera.Server.Sessions;
using Tessera.Server.Tests.Revocation;

namespace Tessera.Server.Tests.Sessions;

/// <summary>The RFC 7009 hook for refresh tokens (for the revocation endpoint): the client's own token revokes its family.</summary>
public sealed class RefreshTokenRevocationTests(SessionServer server) : IClassFixture<SessionServer>
{
    [Fact]
    public async Task TryRevoke_OwnRefreshToken_RevokesTheFamilyAndItsAccessTokens()
    {
        var kit = new RevocationKit(server.Server);
        var receiver = await kit.ReceiverAsync();
        var (client, user) = (await server.AddClientAsync(ClientType.Native), await server.AddUserAsync());
        var other = await server.AddClientAsync(ClientType.Native);
        using var browser = server.NewBrowser();
        var tokens = await OAuth.SignInAndRedeemAsync(server, browser, client, user);
        var refresh = tokens.GetProperty("refresh_token").GetString()!;
        var revocation = server.Server.Services.GetRequiredService<RefreshTokenRevocation>();

        Assert.False(await revocation.TryRevokeAsync("not-a-refresh-token", client.Id, default));
        Assert.False(await revocation.TryRevokeAsync(refresh, other.Id, default));
        Assert.Equal(200, (await OAuth.RefreshAsync(server, client, refresh)).Status);

        Assert.True(await revocation.TryRevokeAsync(refresh, client.Id, default));

        Assert.False(await kit.IsActiveAsync(receiver, tokens.GetProperty("access_token").GetString()!));
        Assert.Equal(400, (await OAuth.RefreshAsync(server, client, refresh)).Status);
    }

    [Fact]
    public async Task RevokeEndpoint_ConfidentialClientsRefreshToken_RevokesTheFamily()
    {
        var (client, user) = (await server.AddClientAsync(ClientType.Web), await server.AddUserAsync());
        var other = await server.AddClientAsync(ClientType.Web);
        using var browser = server.NewBrowser();
        var tokens = await OAuth.SignInAndRedeemAsync(server, browser, client, user);
        var refresh = tokens.GetProperty("refresh_token").GetString()!;

        // Another client's attempt changes nothing and, per RFC 7009, still answers 200.
        var (otherStatus, _) = await server.Server.PostFormAsync("/connect/revoke", other.Id, other.Secret, ("token", refresh));
        Assert.Equal(200, otherStatus);
        var (stillWorks, rotated) = await OAuth.RefreshAsync(server, client, refresh);
        Assert.Equal(200, stillWorks);
        var successor = rotated.GetProperty("refresh_token").GetString()!;

        var (status, _) = await server.Server.PostFormAsync("/connect/revoke", client.Id, client.Secret, ("token", successor));
        Assert.Equal(200, status);
        Assert.Equal(400, (await OAuth.RefreshAsync(server, client, successor)).Status);
    }
}
