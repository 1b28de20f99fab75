using System.Net;
using System.Net.Sockets;

namespace Tessera.Server.Tests.Interop;

/// <summary>
/// A <see cref="TokenServiceFixture"/> listening on a loopback port chosen before it starts. Two reasons: a foreign
/// client follows discovery, and on port 0 the service advertises <c>http://127.0.0.1:0</c> as issuer, token endpoint
/// and <c>jwks_uri</c> when its issuer is fixed before Kestrel has bound (a hosted service resolves it early); and a
/// restart comes back on the same address, so a client assertion made for the first run is still addressed to the
/// restarted one and only replay protection can refuse it.
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
