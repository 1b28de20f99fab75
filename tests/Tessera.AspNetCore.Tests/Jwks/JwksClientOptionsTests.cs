using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Jwks;
using Tessera.Jose;

namespace Tessera.AspNetCore.Tests.Jwks;

public sealed class JwksClientOptionsTests : JwksClientTestBase
{
    public static TheoryData<string, Action<JwksClientOptions>> InvalidOptions => new()
    {
        { "JwksUri and Issuer are both unset", o => o.JwksUri = null },
        { "AllowedAlgorithms is empty", o => o.AllowedAlgorithms = [] },
        { "validate HMAC tokens with a locally configured secret", o => o.AllowedAlgorithms = [JwsAlgorithm.HS256] },
        { "uses plain HTTP. Use https://", o => o.JwksUri = new Uri("http://keys.example.com/jwks") },
        { "not an absolute http(s) URL", o => o.JwksUri = new Uri("ftp://keys.example.com/jwks") },
        { "uses plain HTTP", o => (o.JwksUri, o.Issuer) = (null, "http://id.example.com") },
        { "is not an absolute URL without query or fragment", o => (o.JwksUri, o.Issuer) = (null, "id.example.com") },
        { "MetadataAddress is set without Issuer", o => (o.JwksUri, o.MetadataAddress) = (null, new Uri("https://id.example.com/meta")) },
        { "JwksUri and MetadataAddress are both set", o => (o.Issuer, o.MetadataAddress) = ("https://id.example.com", new Uri("https://id.example.com/meta")) },
        { "MinimumMaxAge (01:00:00) is longer than MaximumMaxAge", o => (o.MinimumMaxAge, o.MaximumMaxAge) = (TimeSpan.FromHours(1), TimeSpan.FromMinutes(30)) },
        { "DefaultMaxAge (00:00:30) is outside", o => o.DefaultMaxAge = TimeSpan.FromSeconds(30) },
        { "Raise MinimumMaxAge or lower MinimumRefreshInterval", o => o.MinimumRefreshInterval = TimeSpan.FromMinutes(5) },
        { "MinimumRefreshInterval is 00:00:00", o => o.MinimumRefreshInterval = TimeSpan.Zero },
        { "Timeout is 00:00:00", o => o.Timeout = TimeSpan.Zero },
        { "MaxStaleness is -00:00:01", o => o.MaxStaleness = TimeSpan.FromSeconds(-1) },
        { "MaxResponseBytes is 100", o => o.MaxResponseBytes = 100 },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Constructor_InvalidOptions_ThrowsWithTheFix(string expected, Action<JwksClientOptions> breakIt)
    {
        var options = ValidOptions();
        breakIt(options);

        var e = Assert.Throws<ArgumentException>(() => new JwksClient(options, Http, Time));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/jwks")]
    [InlineData("http://127.1.2.3/jwks")]
    [InlineData("http://localhost:5080/jwks")]
    [InlineData("http://[::1]:5080/jwks")]
    [InlineData("https://keys.example.com/jwks")]
    public void Constructor_HttpsOrLoopbackHttp_IsAccepted(string uri)
    {
        var options = ValidOptions();
        options.JwksUri = new Uri(uri);

        using var client = new JwksClient(options, Http, Time);

        Assert.Empty(JwksClientOptionsValidator.Check(options));
    }

    [Fact]
    public void Constructor_PlainHttpWithRequireHttpsOff_IsAccepted()
    {
        var options = ValidOptions();
        options.JwksUri = new Uri("http://keys.internal/jwks");
        options.RequireHttps = false;

        Assert.Empty(JwksClientOptionsValidator.Check(options));
    }

    [Fact]
    public async Task Constructor_OptionsChangedAfterwards_ClientKeepsItsCopy()
    {
        Server.ServeJson(TestKeys.EcSet("k1"));
        var options = ValidOptions();
        options.JwksUri = Server.JwksUri;
        options.AllowedAlgorithms = [JwsAlgorithm.ES256];
        using var client = new JwksClient(options, Http, Time);

        options.AllowedAlgorithms.Clear();
        options.JwksUri = new Uri("https://elsewhere.example.com/jwks");
        var keys = await client.GetKeysAsync();

        Assert.NotNull(keys);
        Assert.True(keys.TryGet("k1", out _));
        Assert.Equal(1, Server.Requests());
    }

    [Fact]
    public async Task AddTesseraJwksClient_InvalidOptions_HostFailsToStartWithTheFix()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddTesseraJwksClient(o => o.JwksUri = new Uri("http://keys.example.com/jwks"));
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("AllowedAlgorithms is empty", e.Message, StringComparison.Ordinal);
        Assert.Contains("uses plain HTTP", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddTesseraJwksClient_ValidOptions_ResolvesOneClientThatFetchesThroughTheFactory()
    {
        Server.ServeJson(TestKeys.EcSet("k1"));
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddTesseraJwksClient(o =>
        {
            o.JwksUri = Server.JwksUri;
            o.AllowedAlgorithms = [JwsAlgorithm.ES256];
        });
        using var host = builder.Build();
        await host.StartAsync();

        var client = host.Services.GetRequiredService<JwksClient>();
        var keys = await client.GetKeysAsync();

        Assert.Same(client, host.Services.GetRequiredService<JwksClient>());
        Assert.NotNull(keys);
        Assert.True(keys.TryGet("k1", out _));
        Assert.Equal(1, Server.Requests());
        await host.StopAsync();
    }

    private static JwksClientOptions ValidOptions() => new()
    {
        JwksUri = new Uri("https://keys.example.com/jwks"),
        AllowedAlgorithms = [JwsAlgorithm.RS256],
    };
}
