using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Tessera.Integration.Tests;

/// <summary>
/// Each RFC 6750 answer of the sample API, on loopback, with tokens from the real token service; and each kind of
/// token refused where it does not belong, counted by reason.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class BearerChallengeTests(SampleEnvironment env) : AuditedTest, IClassFixture<SampleEnvironment>
{
    private MetricCollector<long> _validations = null!;

    public override Task InitializeAsync()
    {
        _validations = new MetricCollector<long>(env.Api.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "Tessera", "tessera.token.validations");
        return Task.CompletedTask;
    }

    public override Task DisposeAsync()
    {
        _validations.Dispose();
        return base.DisposeAsync();
    }

    [Fact]
    public async Task Public_NoToken_200()
    {
        using var response = await env.Api.GetAsync("/public", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Orders_NoToken_401WithBareBearerChallenge()
    {
        using var response = await env.Api.GetAsync("/orders", null);

        // RFC 6750 §3.1: a request without authentication gets no error code.
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).ToString());
    }

    [Fact]
    public async Task Orders_UserAccessTokenWithScope_200()
    {
        var token = await env.TokenService.UserAccessTokenAsync("user-7", SampleEnvironment.Audience, "orders:read");

        using var response = await env.Api.GetAsync("/orders", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"user\":\"user-7\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(_validations.GetMeasurementSnapshot(), m => m.Tags["tessera.result"] as string == "success" && m.Tags["tessera.scheme"] as string == "Bearer");
    }

    [Fact]
    public async Task Orders_ExpiredToken_401InvalidTokenExpired()
    {
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(-20));
        var token = await env.TokenService.UserAccessTokenAsync(LogCapture.Instance.RejectedSubject("user-expired-6c1f"), SampleEnvironment.Audience, "orders:read", clock: past);

        using var response = await env.Api.GetAsync("/orders", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The token has expired.\"", Assert.Single(response.Headers.WwwAuthenticate).ToString());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        AssertCounted("expired", "Bearer");
    }

    [Fact]
    public async Task Orders_TamperedSignature_401InvalidToken()
    {
        var token = await env.TokenService.UserAccessTokenAsync("user-8", SampleEnvironment.Audience, "orders:read");
        // One character in the middle of the signature changed: still canonical base64url, no longer the signature.
        var cut = token.LastIndexOf('.') + 20;
        var forged = LogCapture.Instance.Token(token[..cut] + (token[cut] == 'A' ? 'B' : 'A') + token[(cut + 1)..]);

        using var response = await env.Api.GetAsync("/orders", forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        AssertCounted("signature_invalid", "Bearer");
    }

    [Fact]
    public async Task Orders_MissingScope_403InsufficientScopeNamingTheScope()
    {
        var token = await env.TokenService.UserAccessTokenAsync("user-9", SampleEnvironment.Audience, "profile:read");

        using var response = await env.Api.GetAsync("/orders", token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(
            "Bearer error=\"insufficient_scope\", error_description=\"The token lacks the scope this resource requires.\", scope=\"orders:read\"",
            Assert.Single(response.Headers.WwwAuthenticate).ToString());
    }

    [Fact]
    public async Task Orders_TokenInQueryString_400InvalidRequest()
    {
        var token = await env.TokenService.UserAccessTokenAsync("user-10", SampleEnvironment.Audience, "orders:read");

        using var response = await env.Api.GetAsync("/orders?access_token=" + token, null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_request\", error_description=\"Send the token in the Authorization header only.\"", Assert.Single(response.Headers.WwwAuthenticate).ToString());
    }

    [Fact]
    public async Task Orders_BearerWithoutToken_400InvalidRequest()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer");
        using var response = await env.Api.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("error=\"invalid_request\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Orders_TwoAuthorizationHeaders_400InvalidRequest()
    {
        var token = await env.TokenService.UserAccessTokenAsync("user-11", SampleEnvironment.Audience, "orders:read");

        // Two header lines, as HttpClient cannot send them: a raw HTTP/1.1 request.
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(env.Api.BaseAddress.Host, env.Api.BaseAddress.Port);
        await using var stream = tcp.GetStream();
        var request = $"GET /orders HTTP/1.1\r\nHost: {env.Api.BaseAddress.Authority}\r\nAuthorization: Bearer {token}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var answer = await reader.ReadToEndAsync();

        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        Assert.Contains("error=\"invalid_request\", error_description=\"Send exactly one token.\"", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Orders_BasicCredentials_401BearerChallengeWithoutError()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders");
        request.Headers.TryAddWithoutValidation("Authorization", "Basic ZGVtbzpkZW1v");
        using var response = await env.Api.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).ToString());
    }

    [Fact]
    public async Task Orders_IdToken_401WrongKind()
    {
        var token = await env.TokenService.IdTokenAsync(LogCapture.Instance.RejectedSubject("user-id-token-2b9e"), SampleEnvironment.Audience);

        using var response = await env.Api.GetAsync("/orders", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error_description=\"The token is not the kind of token this resource accepts.\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        AssertCounted("wrong_type", "Bearer");
    }

    [Fact]
    public async Task Orders_ServiceToken_401WrongKind()
    {
        var token = await env.ServiceTokenAsync("orders:read");

        using var response = await env.Api.GetAsync("/orders", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error_description=\"The token is not the kind of token this resource accepts.\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        AssertCounted("wrong_type", "Bearer");
    }

    [Fact]
    public async Task ServiceStatus_ServiceToken_200()
    {
        var token = await env.ServiceTokenAsync("service:status");

        using var response = await env.Api.GetAsync("/service/status", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"caller\":\"demo-service\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServiceStatus_UserAccessToken_401WrongKind()
    {
        var token = await env.TokenService.UserAccessTokenAsync(LogCapture.Instance.RejectedSubject("user-at-service-5d0c"), SampleEnvironment.Audience, "service:status");

        using var response = await env.Api.GetAsync("/service/status", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        AssertCounted("wrong_type", "Service");
    }

    [Fact]
    public async Task OrdersAndServiceStatus_TokenForAnotherAudience_401WrongAudience()
    {
        var user = await env.TokenService.UserAccessTokenAsync(LogCapture.Instance.RejectedSubject("user-elsewhere-77aa"), "api://elsewhere", "orders:read");
        var secret = await env.TokenService.AddServiceClientAsync("elsewhere-service", "api://elsewhere", "service:status");
        var service = await env.TokenService.ServiceTokenAsync("elsewhere-service", secret);

        using var orders = await env.Api.GetAsync("/orders", user);
        using var status = await env.Api.GetAsync("/service/status", service);

        foreach (var response in new[] { orders, status })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("error_description=\"The token is not intended for this resource.\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

            // The answer never echoes the token's or this API's audience or issuer.
            Assert.DoesNotContain("api://", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("127.0.0.1", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        AssertCounted("wrong_audience", "Bearer");
        AssertCounted("wrong_audience", "Service");
    }

    private void AssertCounted(string reason, string scheme) =>
        Assert.Contains(_validations.GetMeasurementSnapshot(), m =>
            m.Value == 1
            && m.Tags["tessera.result"] as string == "failure"
            && m.Tags["tessera.failure.reason"] as string == reason
            && m.Tags["error.type"] as string == reason
            && m.Tags["tessera.scheme"] as string == scheme);
}
