using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Clients;
using Tessera.Keys.Ring;
using Tessera.Server.Endpoints;
using Tessera.Tokens;

namespace Tessera.Server.Tests.Interop;

/// <summary>
/// ASP.NET Core's own JwtBearer handler (Microsoft.AspNetCore.Authentication.JwtBearer), configured only with our
/// issuer as its Authority, finds the JWK Set through our discovery document and accepts our service tokens — and
/// refuses a missing, tampered, other-audience or other-kind token.
/// </summary>
public sealed class JwtBearerInteropTests(InteropServerFixture fixture) : IClassFixture<InteropServerFixture>, IAsyncLifetime
{
    private readonly TokenServiceFixture _server = fixture.Server;

    private const string Audience = "api://inventory";

    private WebApplication? _api;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                options.Authority = _server.Issuer;
                options.RequireHttpsMetadata = false; // loopback only: the test server speaks plain HTTP on 127.0.0.1
                options.MapInboundClaims = false;
                options.TokenValidationParameters.ValidAudience = Audience;
                options.TokenValidationParameters.ValidTypes = ["service+jwt"];
            });
        builder.Services.AddAuthorization();
        _api = builder.Build();
        _api.UseAuthentication();
        _api.UseAuthorization();
        _api.MapGet("/stock", (ClaimsPrincipal user) => Results.Json(new
        {
            sub = user.FindFirstValue("sub"),
            client_id = user.FindFirstValue("client_id"),
            scope = user.FindFirstValue("scope"),
        })).RequireAuthorization();
        await _api.StartAsync();
        var address = _api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        if (_api is not null)
        {
            await _api.StopAsync();
            await _api.DisposeAsync();
        }
    }

    private async Task<string> ServiceTokenAsync(string clientId, string audience)
    {
        var secret = await _server.AddClientAsync(new ClientRegistration
        {
            ClientId = clientId,
            Type = ClientType.Service,
            GrantTypes = [GrantTypes.ClientCredentials],
            Audiences = [audience],
            Scopes = ["stock:read"],
        });
        var (status, body) = await _server.PostFormAsync("/connect/token", clientId, secret, ("grant_type", "client_credentials"), ("scope", "stock:read"));
        Assert.Equal(200, status);
        return body.GetProperty("access_token").GetString()!;
    }

    private async Task<HttpResponseMessage> CallAsync(string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/stock");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await _client.SendAsync(request);
    }

    [Fact]
    public async Task JwtBearer_OurServiceToken_Accepted()
    {
        var token = await ServiceTokenAsync("bearer-ok", Audience);

        using var response = await CallAsync(token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("bearer-ok", body.RootElement.GetProperty("sub").GetString());
        Assert.Equal("bearer-ok", body.RootElement.GetProperty("client_id").GetString());
        Assert.Equal("stock:read", body.RootElement.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task JwtBearer_NoToken_401WithBearerChallenge()
    {
        using var response = await CallAsync(null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task JwtBearer_TamperedToken_401()
    {
        var token = await ServiceTokenAsync("bearer-tampered", Audience);
        var parts = token.Split('.');

        // One character of the signature changed; and, separately, a payload claim changed under the old signature.
        var signature = parts[2].ToCharArray();
        signature[signature.Length / 2] = signature[signature.Length / 2] == 'A' ? 'B' : 'A';
        var badSignature = $"{parts[0]}.{parts[1]}.{new string(signature)}";
        var payload = Tessera.Jose.Base64Url.DecodeOrNull(parts[1])!;
        var widened = System.Text.Encoding.UTF8.GetString(payload).Replace("\"stock:read\"", "\"stock:admin\"", StringComparison.Ordinal);
        var badPayload = $"{parts[0]}.{Tessera.Jose.Base64Url.Encode(System.Text.Encoding.UTF8.GetBytes(widened))}.{parts[2]}";

        foreach (var tampered in new[] { badSignature, badPayload })
        {
            using var response = await CallAsync(tampered);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer" && h.Parameter!.Contains("invalid_token", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task JwtBearer_TokenForAnotherAudience_401()
    {
        var token = await ServiceTokenAsync("bearer-elsewhere", "api://elsewhere");

        using var response = await CallAsync(token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task JwtBearer_UserAccessTokenWhereServiceTokenExpected_401()
    {
        // Same issuer, key and audience, but an at+jwt user token: the handler's ValidTypes keeps the kinds apart.
        var ring = _server.Services.GetRequiredService<KeyRing>();
        var profiles = _server.Services.GetRequiredService<ServerProfiles>();
        var issued = _server.Services.GetRequiredService<TokenIssuer>().Issue(profiles.Access, await ring.GetSigningKeyAsync(), new TokenDescriptor
        {
            Subject = "user-1",
            ClientId = "web-app",
            Audiences = [Audience],
            Scopes = ["stock:read"],
        });

        using var response = await CallAsync(issued.Token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
