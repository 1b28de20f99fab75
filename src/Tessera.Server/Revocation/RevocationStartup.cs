namespace Tessera.Server.Revocation;

/// <summary>Rebuilds the in-memory revocation index from the database before the service takes requests.</summary>
internal sealed class RevocationStartup(RevocationService revocation) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => revocation.LoadAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
