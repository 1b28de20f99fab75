namespace Tessera.Server.Tests.Revocation;

/// <summary>Revocations and the feed across <see cref="TokenServiceFixture.RestartAsync"/> (same database, new process state).</summary>
public sealed class RevocationRestartTests : IClassFixture<TokenServiceFixture>
{
    private readonly TokenServiceFixture _server;
    private readonly RevocationKit _kit;

    public RevocationRestartTests(TokenServiceFixture server)
    {
        _server = server;
        _kit = new RevocationKit(server);
    }

    [Fact]
    public async Task Revocations_SurviveRestart_StillInactive()
    {
        var client = await _kit.ServiceClientAsync();
        var subject = RevocationKit.Unique("user");
        var tenant = RevocationKit.Unique("tenant");
        var bySubject = await _kit.MintUserTokenAsync(subject);
        var byTenant = await _kit.MintUserTokenAsync(RevocationKit.Unique("user"), tenant);
        var byJti = await _kit.ServiceTokenAsync(client);
        var compromised = await _kit.ExchangedUserTokenAsync(client, RevocationKit.Unique("user"));
        var untouched = await _kit.MintUserTokenAsync(RevocationKit.Unique("user"), RevocationKit.Unique("tenant"));
        await _kit.TriggerAsync("termination", subject: subject);
        await _kit.TriggerAsync("tenant_removal", tenant: tenant);
        Assert.Equal(200, (await _server.PostFormAsync("/connect/revoke", client.Id, client.Secret, ("token", byJti))).Status);
        var compromisedSubject = System.Text.Json.JsonDocument.Parse(Tessera.Jose.Base64Url.DecodeOrNull(compromised.Split('.')[1])).RootElement.GetProperty("sub").GetString()!;
        await _kit.TriggerAsync("account_compromise", subject: compromisedSubject);

        await _server.RestartAsync();

        Assert.False(await _kit.IsActiveAsync(client, bySubject));
        Assert.False(await _kit.IsActiveAsync(client, byTenant));
        Assert.False(await _kit.IsActiveAsync(client, byJti));
        Assert.False(await _kit.IsActiveAsync(client, compromised));
        Assert.True(await _kit.IsActiveAsync(client, untouched));
        Assert.True(await _kit.IsActiveAsync(client, await _kit.ServiceTokenAsync(client)));
    }

    [Fact]
    public async Task Feed_SurvivesRestart_NothingLostOrDuplicated()
    {
        var receiver = await _kit.ReceiverAsync();
        var fired = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            fired.AddRange(RevocationKit.SetsOf(await _kit.TriggerAsync("password_reset", subject: RevocationKit.Unique("user"))));
        }

        Assert.Equal(fired, (await _kit.PollSetsAsync(receiver)).Keys);
        Assert.Equal(200, (await _kit.PollAsync(receiver, ack: fired.Take(2), maxEvents: 0)).Status);

        await _server.RestartAsync();
        var afterRestart = RevocationKit.SetsOf(await _kit.TriggerAsync("password_reset", subject: RevocationKit.Unique("user"))).Single();

        // The delivered-but-unacknowledged event comes again; the acknowledged ones never do.
        var sets = await _kit.PollSetsAsync(receiver);
        Assert.Equal([fired[2], afterRestart], sets.Keys);
        foreach (var set in sets.Values)
        {
            await _kit.VerifySetAsync(set);
        }

        Assert.Empty(await _kit.PollSetsAsync(receiver, ack: sets.Keys));

        await _server.RestartAsync();
        Assert.Empty(await _kit.PollSetsAsync(receiver));
    }
}
