using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tessera.AspNetCore.Introspection;
using Tessera.AspNetCore.Tests.Support;

namespace Tessera.AspNetCore.Tests.Introspection;

public sealed class IntrospectionClientTests : IAsyncLifetime
{
    private const string Path = "/connect/introspect";
    private const string Token = "header.payload.signature-of-a-test-token";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger<IntrospectionClient> _logger = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().AddHttpClient().BuildServiceProvider();
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _services.DisposeAsync();
    }

    private IntrospectionClient Create(Action<IntrospectionOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new IntrospectionOptions
        {
            Endpoint = new Uri(_server.BaseUri, Path),
            ClientId = "api one",
            ClientSecret = "s:cret",
        };
        configure?.Invoke(options);
        return new IntrospectionClient(
            Options.Create(options),
            _services.GetRequiredService<IHttpClientFactory>(),
            time ?? _time,
            _services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            _logger);
    }

    [Fact]
    public async Task Active_CachedForCacheDuration_ThenAskedAgain()
    {
        _server.OnJson(Path, _ => """{"active":true,"jti":"j1"}""");
        var client = Create(o => o.CacheDuration = TimeSpan.FromSeconds(5));
        using var lookups = new MetricCollector<long>(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "Tessera", "tessera.introspection.lookups");

        Assert.Equal(IntrospectionStatus.Active, await client.IntrospectAsync(Token, _time.GetUtcNow().AddMinutes(5), "j1"));
        Assert.Equal(IntrospectionStatus.Active, await client.IntrospectAsync(Token, _time.GetUtcNow().AddMinutes(5), "j1"));
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(IntrospectionStatus.Active, await client.IntrospectAsync(Token, _time.GetUtcNow().AddMinutes(5), "j1"));

        Assert.Equal(2, _server.Count(Path));
        Assert.Equal(["miss", "hit", "miss"], lookups.GetMeasurementSnapshot().Select(m => (string)m.Tags["tessera.cache"]!));
    }

    [Fact]
    public async Task Request_FormAndCredentials_AsRfc7662AndRfc6749Say()
    {
        _server.OnJson(Path, _ => """{"active":true}""");

        await Create().IntrospectAsync(Token);

        var (_, body, authorization) = Assert.Single(_server.Requests);
        Assert.Equal("token=header.payload.signature-of-a-test-token&token_type_hint=access_token", body);
        var credentials = Encoding.UTF8.GetString(Convert.FromBase64String(authorization!["Basic ".Length..]));
        Assert.Equal("api%20one:s%3Acret", credentials); // form-encoded before base64, RFC 6749 §2.3.1
    }

    [Fact]
    public async Task Inactive_CachedUntilTheTokenExpires()
    {
        _server.OnJson(Path, _ => """{"active":false}""");
        var client = Create();
        var expires = _time.GetUtcNow().AddMinutes(2);

        Assert.Equal(IntrospectionStatus.Inactive, await client.IntrospectAsync(Token, expires));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(IntrospectionStatus.Inactive, await client.IntrospectAsync(Token, expires));

        Assert.Equal(1, _server.Count(Path));
    }

    [Theory]
    [InlineData(500, "")]
    [InlineData(200, "not json")]
    [InlineData(200, """{"active":"yes"}""")]
    [InlineData(200, """[true]""")]
    [InlineData(200, """{"active":true,"jti":"another"}""")]
    public async Task UnusableAnswer_Unavailable_NotCached(int status, string body)
    {
        _server.On(Path, async (context, _) =>
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsync(body);
        });
        var client = Create();

        Assert.Equal(IntrospectionStatus.Unavailable, await client.IntrospectAsync(Token, tokenId: "j1"));
        Assert.Equal(IntrospectionStatus.Unavailable, await client.IntrospectAsync(Token, tokenId: "j1"));

        Assert.Equal(2, _server.Count(Path));
        Assert.All(_logger.Collector.GetSnapshot(), r => Assert.Equal(2201, r.Id.Id));
    }

    [Fact]
    public async Task CredentialsRefused_Unavailable_LoggedAsError()
    {
        _server.On(Path, (context, _) =>
        {
            context.Response.StatusCode = 401;
            return Task.CompletedTask;
        });

        Assert.Equal(IntrospectionStatus.Unavailable, await Create().IntrospectAsync(Token));

        var record = Assert.Single(_logger.Collector.GetSnapshot());
        Assert.Equal(2202, record.Id.Id);
        Assert.Contains("ClientSecret", record.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s:cret", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlowTokenService_UnavailableAfterTimeout()
    {
        _server.On(Path, async (context, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted);
        });
        var client = Create(o => o.Timeout = TimeSpan.FromMilliseconds(200), TimeProvider.System);

        Assert.Equal(IntrospectionStatus.Unavailable, await client.IntrospectAsync(Token));
    }

    [Fact]
    public async Task Unreachable_Unavailable()
    {
        var client = Create(o => o.Endpoint = new Uri("http://127.0.0.1:9/connect/introspect"));

        Assert.Equal(IntrospectionStatus.Unavailable, await client.IntrospectAsync(Token));
    }

    [Fact]
    public async Task Discovery_EndpointFromIssuerMetadata()
    {
        var issuer = _server.BaseUri.ToString().TrimEnd('/');
        _server.OnJson("/.well-known/openid-configuration", _ => $$"""{"issuer":"{{issuer}}","introspection_endpoint":"{{issuer}}/custom/introspect"}""");
        _server.OnJson("/custom/introspect", _ => """{"active":true}""");

        var client = Create(o =>
        {
            o.Endpoint = null;
            o.Issuer = issuer;
        });

        Assert.Equal(IntrospectionStatus.Active, await client.IntrospectAsync(Token));
        Assert.Equal(1, _server.Count("/custom/introspect"));
    }

    [Fact]
    public async Task Discovery_DocumentForAnotherIssuer_Unavailable()
    {
        var issuer = _server.BaseUri.ToString().TrimEnd('/');
        _server.OnJson("/.well-known/openid-configuration", _ => $$"""{"issuer":"https://evil.example","introspection_endpoint":"{{issuer}}/custom/introspect"}""");

        var client = Create(o =>
        {
            o.Endpoint = null;
            o.Issuer = issuer;
        });

        Assert.Equal(IntrospectionStatus.Unavailable, await client.IntrospectAsync(Token));
        Assert.Equal(0, _server.Count("/custom/introspect"));
    }

    [Fact]
    public async Task ConcurrentLookups_OfOneToken_ShareOneRequest()
    {
        var release = new TaskCompletionSource();
        _server.On(Path, async (context, _) =>
        {
            await release.Task;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"active":true}""");
        });
        var client = Create();

        var lookups = Enumerable.Range(0, 20).Select(_ => client.IntrospectAsync(Token).AsTask()).ToList();
        await Task.Delay(100);
        release.SetResult();

        Assert.All(await Task.WhenAll(lookups), s => Assert.Equal(IntrospectionStatus.Active, s));
        Assert.Equal(1, _server.Count(Path));
    }

    [Theory]
    [InlineData(null, null, "Issuer")]
    [InlineData("https://id.example", null, "ClientSecret")]
    [InlineData("http://id.example", "secret", "https://")]
    public void Options_Unusable_RefusedWithTheFix(string? issuer, string? secret, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => Create(o =>
        {
            o.Endpoint = null;
            o.Issuer = issuer;
            o.ClientSecret = secret;
        }));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
