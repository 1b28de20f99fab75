using System.Net;
using System.Net.Sockets;

namespace Tessera.Server.Tests.Interop;

/// <summary>
/// A <see cref="TokenServiceFixture"/> listening on a loopback port chosen before it starts. The service takes its
/// issuer from the configured URL, so on port 0 it would advertise <c>http://127.0.0.1:0</c> as issuer, token
/// endpoint and <c>jwks_uri</c>; a foreign client that follows discovery needs the real address there.
/// </summary>
public sealed class InteropServerFixture : IAsyncLifetime
{
    public TokenServiceFixture Server { get; } = new();

    public async Task InitializeAsync()
    {
        Server.Settings["urls"] = $"http://127.0.0.1:{FreeLoopbackPort()}";
        await Server.InitializeAsync();
    }

    public Task DisposeAsync() => Server.DisposeAsync();

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
