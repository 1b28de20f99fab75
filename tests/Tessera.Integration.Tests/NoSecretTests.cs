using System.Net;

namespace Tessera.Integration.Tests;

/// <summary>The sample started without its client secret, as a first run often is.</summary>
public sealed class NoSecretEnvironment : SampleEnvironment
{
    protected override bool ConfigureSecret => false;
}

/// <summary>Without the secret the sample starts, says which features are off, and fails closed where they are needed.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class NoSecretTests(NoSecretEnvironment env) : AuditedTest, IClassFixture<NoSecretEnvironment>
{
    [Fact]
    public void Banner_NamesTheFeaturesThatAreOff()
    {
        var banner = env.Api.Banner.ToString();

        Assert.Contains("revocation feed   OFF", banner, StringComparison.Ordinal);
        Assert.Contains("TESSERA_SAMPLE_API_SECRET", banner, StringComparison.Ordinal);
        Assert.Contains("POST /payments and GET /orders/export fail closed", banner, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrdinaryEndpoints_Work_HighRiskEndpoints_503()
    {
        var orders = await env.TokenService.UserAccessTokenAsync("user-first-run", SampleEnvironment.Audience, "orders:read payments:write");
        var service = await env.ServiceTokenAsync("service:status");

        using var ok = await env.Api.GetAsync("/orders", orders);
        using var status = await env.Api.GetAsync("/service/status", service);
        using var export = await env.Api.GetAsync("/orders/export", orders);
        using var payment = await env.Api.SendAsync(HttpMethod.Post, "/payments", orders);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, export.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, payment.StatusCode);
    }
}
