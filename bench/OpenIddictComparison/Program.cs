// OpenIddict 7 configured like Tessera's client_credentials service tokens, for the load test:
//   * client_credentials only, a confidential client authenticating with client_secret_basic (OpenIddict hashes
//     the secret itself, as it always does);
//   * a signed (not encrypted) JWT access token, ES256 with one P-256 key, 5 minutes, audience api://bench;
//   * introspection for the same confidential client;
//   * clients in SQLite through Entity Framework Core; token storage on (every token is a row) or off
//     (Bench:TokenStorage=false, OpenIddict's DisableTokenStorage: stateless tokens, like Tessera's).
// Settings: --urls http://127.0.0.1:PORT --Bench:Database PATH --Bench:ClientId ID --Bench:ClientSecret SECRET
//           --Bench:TokenStorage true|false
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using OpenIddictComparison;
using static OpenIddict.Abstractions.OpenIddictConstants;

var builder = WebApplication.CreateBuilder(args);
var database = builder.Configuration["Bench:Database"] ?? Path.Combine(Path.GetTempPath(), "openiddict-bench.db");
var clientId = builder.Configuration["Bench:ClientId"] ?? "bench";
var clientSecret = builder.Configuration["Bench:ClientSecret"] ?? throw new InvalidOperationException("Set Bench:ClientSecret.");
var tokenStorage = builder.Configuration.GetValue("Bench:TokenStorage", true);
var issuer = new Uri((builder.Configuration["urls"] ?? "http://127.0.0.1:5090").Split(';')[0]);

builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
builder.Services.AddDbContext<BenchDbContext>(options =>
{
    options.UseSqlite($"Data Source={database}");
    options.UseOpenIddict();
});

using var signingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
builder.Services.AddOpenIddict()
    .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<BenchDbContext>())
    .AddServer(options =>
    {
        options.SetIssuer(issuer);
        options.SetTokenEndpointUris("connect/token");
        options.SetIntrospectionEndpointUris("connect/introspect");
        options.AllowClientCredentialsFlow();
        options.RegisterScopes("read");
        options.SetAccessTokenLifetime(TimeSpan.FromMinutes(5));
        options.AddSigningKey(new ECDsaSecurityKey(signingKey) { KeyId = "bench-es256" });
        options.AddEphemeralEncryptionKey();
        options.DisableAccessTokenEncryption();
        if (!tokenStorage)
        {
            options.DisableTokenStorage();
        }

        options.UseAspNetCore()
            .EnableTokenEndpointPassthrough()
            .DisableTransportSecurityRequirement(); // loopback HTTP, as the Tessera server under test
    });

var app = builder.Build();

await using (var scope = app.Services.CreateAsyncScope())
{
    await scope.ServiceProvider.GetRequiredService<BenchDbContext>().Database.EnsureCreatedAsync();
    var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
    if (await applications.FindByClientIdAsync(clientId) is null)
    {
        await applications.CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = clientSecret,
            ClientType = ClientTypes.Confidential,
            Permissions =
            {
                Permissions.Endpoints.Token,
                Permissions.Endpoints.Introspection,
                Permissions.GrantTypes.ClientCredentials,
                Permissions.Prefixes.Scope + "read",
            },
        });
    }
}

app.MapGet("/health", () => Results.Json(new { status = "healthy" }));

// The token endpoint's passthrough: OpenIddict has authenticated the client and validated the request.
app.MapPost("/connect/token", (HttpContext context) =>
{
    var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenIddict request.");
    if (!request.IsClientCredentialsGrantType())
    {
        return Results.BadRequest();
    }

    var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
    identity.SetClaim(Claims.Subject, request.ClientId);
    identity.SetScopes(request.GetScopes());
    identity.SetResources("api://bench");
    identity.SetDestinations(static _ => [Destinations.AccessToken]);
    return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
});

await app.RunAsync();
