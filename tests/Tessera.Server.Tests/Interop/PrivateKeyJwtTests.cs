using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tessera.Clients;
using Tessera.Jose;

namespace Tessera.Server.Tests.Interop;

/// <summary>
/// RFC 7523 <c>private_key_jwt</c>: a client registered with its public JWK Set authenticates with an assertion it
/// signs itself (built here with .NET's ECDsa, not with Tessera), each assertion once — a replay is refused, and
/// still refused after the service restarts, because the used <c>jti</c>s are kept in SQLite.
/// </summary>
public sealed class PrivateKeyJwtTests(InteropServerFixture fixture) : IClassFixture<InteropServerFixture>
{
    private readonly TokenServiceFixture _server = fixture.Server;

    private sealed class ClientKey : IDisposable
    {
        public ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        public string Kid { get; } = "k-" + Guid.NewGuid().ToString("N")[..8];

        public string Jwks
        {
            get
            {
                var p = Key.ExportParameters(includePrivateParameters: false);
                return JsonSerializer.Serialize(new
                {
                    keys = new[] { new { kty = "EC", crv = "P-256", x = Base64Url.Encode(p.Q.X), y = Base64Url.Encode(p.Q.Y), kid = Kid, alg = "ES256", use = "sig" } },
                });
            }
        }

        public string Assertion(string clientId, string audience, string? jti = null, TimeSpan? lifetime = null)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var header = JsonSerializer.SerializeToUtf8Bytes(new { alg = "ES256", kid = Kid, typ = "JWT" });
            var payload = JsonSerializer.SerializeToUtf8Bytes(new
            {
                iss = clientId,
                sub = clientId,
                aud = audience,
                iat = now,
                exp = now + (long)(lifetime ?? TimeSpan.FromMinutes(1)).TotalSeconds,
                jti = jti ?? Guid.NewGuid().ToString("N"),
            });
            var input = $"{Base64Url.Encode(header)}.{Base64Url.Encode(payload)}";
            var signature = Key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            return $"{input}.{Base64Url.Encode(signature)}";
        }

        public void Dispose() => Key.Dispose();
    }

    private async Task<string> AddJwksClientAsync(ClientKey key)
    {
        var id = "pkjwt-" + Guid.NewGuid().ToString("N")[..8];
        var secret = await _server.AddClientAsync(new ClientRegistration
        {
            ClientId = id,
            Type = ClientType.Service,
            Jwks = key.Jwks,
            GrantTypes = [GrantTypes.ClientCredentials],
            Audiences = ["api://reports"],
            Scopes = ["reports:read"],
        });
        Assert.Null(secret);
        return id;
    }

    private Task<(int Status, JsonElement Body)> TokenWithAssertionAsync(string clientId, string assertion) =>
        _server.PostFormAsync("/connect/token", null, null,
            ("grant_type", "client_credentials"),
            ("client_id", clientId),
            ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            ("client_assertion", assertion));

    private string TokenEndpoint => _server.Issuer + "/connect/token";

    [Fact]
    public async Task PrivateKeyJwt_SignedAssertion_ServiceTokenIssued()
    {
        using var key = new ClientKey();
        var id = await AddJwksClientAsync(key);

        var (status, body) = await TokenWithAssertionAsync(id, key.Assertion(id, TokenEndpoint));

        Assert.Equal(200, status);
        var payload = JsonDocument.Parse(Base64Url.DecodeOrNull(body.GetProperty("access_token").GetString()!.Split('.')[1])!).RootElement;
        Assert.Equal(id, payload.GetProperty("sub").GetString());
        Assert.Equal("api://reports", payload.GetProperty("aud").GetString());
    }

    [Fact]
    public async Task PrivateKeyJwt_AssertionNotSignedByRegisteredKey_InvalidClient()
    {
        using var registered = new ClientKey();
        using var other = new ClientKey();
        var id = await AddJwksClientAsync(registered);

        var (status, body) = await TokenWithAssertionAsync(id, other.Assertion(id, TokenEndpoint));

        Assert.Equal(401, status);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task PrivateKeyJwt_AssertionForAnotherServer_InvalidClient()
    {
        using var key = new ClientKey();
        var id = await AddJwksClientAsync(key);

        var (status, body) = await TokenWithAssertionAsync(id, key.Assertion(id, "https://other-_server.example/connect/token"));

        Assert.Equal(401, status);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task PrivateKeyJwt_ReplayedAssertion_RefusedBeforeAndAfterRestart()
    {
        using var key = new ClientKey();
        var id = await AddJwksClientAsync(key);
        var assertion = key.Assertion(id, TokenEndpoint, lifetime: TimeSpan.FromMinutes(5));

        var (firstStatus, _) = await TokenWithAssertionAsync(id, assertion);
        Assert.Equal(200, firstStatus);

        var (replayStatus, replay) = await TokenWithAssertionAsync(id, assertion);
        Assert.Equal(401, replayStatus);
        Assert.Equal("invalid_client", replay.GetProperty("error").GetString());

        // Restart on the same address (the fixture pinned the port), so the issuer and the assertion's audience stay
        // the same: only the replay record, kept in SQLite, can refuse it now.
        var issuer = _server.Issuer;
        await _server.RestartAsync();
        Assert.Equal(issuer, _server.Issuer);

        var (afterRestartStatus, afterRestart) = await TokenWithAssertionAsync(id, assertion);
        Assert.Equal(401, afterRestartStatus);
        Assert.Equal("invalid_client", afterRestart.GetProperty("error").GetString());

        // A fresh assertion from the same key still works: the refusal was the replay, nothing else.
        var (freshStatus, _) = await TokenWithAssertionAsync(id, key.Assertion(id, TokenEndpoint));
        Assert.Equal(200, freshStatus);
    }
}
