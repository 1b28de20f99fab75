using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tessera.AspNetCore.Bff;

namespace Tessera.Browser.Tests.Bff;

/// <summary>How the BFF reads the token service's answers: a refusal ends a session, an outage must not.</summary>
public sealed class BffTokenClientTests
{
    private const string Issuer = "https://id.example.com";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

    private static string Discovery(string issuer = Issuer) =>
        $$"""{"issuer":"{{issuer}}","authorization_endpoint":"{{Issuer}}/connect/authorize","token_endpoint":"{{Issuer}}/connect/token","revocation_endpoint":"{{Issuer}}/connect/revoke"}""";

    private BffTokenClient Create(Func<HttpRequestMessage, HttpResponseMessage> tokenEndpoint, string? discovery = null) => new(
        new StubFactory(request => request.RequestUri!.AbsolutePath == "/.well-known/openid-configuration"
            ? Json(HttpStatusCode.OK, discovery ?? Discovery())
            : tokenEndpoint(request)),
        Options.Create(new TesseraBffOptions { Authority = Issuer, ClientId = "portal", ClientSecret = "s3cret", ApiAudience = "api://orders" }),
        _time);

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    [Fact]
    public async Task Refresh_Success_ReturnsRotatedTokensWithExpiryFromNow()
    {
        var client = Create(_ => Json(HttpStatusCode.OK, """{"access_token":"a2","token_type":"Bearer","expires_in":300,"refresh_token":"r2"}"""));

        var response = await client.RefreshAsync("r1", CancellationToken.None);

        Assert.Equal("a2", response!.AccessToken);
        Assert.Equal("r2", response.RefreshToken);
        Assert.Equal(_time.GetUtcNow().AddSeconds(300), response.ExpiresAt);
    }

    [Fact]
    public async Task Refresh_SendsBasicClientAuthenticationAndTheGrant()
    {
        HttpRequestMessage? seen = null;
        string? form = null;
        var client = Create(r =>
        {
            seen = r;
            form = r.Content!.ReadAsStringAsync().GetAwaiter().GetResult();
            return Json(HttpStatusCode.OK, """{"access_token":"a2","token_type":"Bearer","expires_in":300}""");
        });

        await client.RefreshAsync("r1", CancellationToken.None);

        Assert.Equal("Basic", seen!.Headers.Authorization!.Scheme);
        Assert.Equal("grant_type=refresh_token&refresh_token=r1", form);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, """{"error":"invalid_grant"}""")]
    [InlineData(HttpStatusCode.Unauthorized, """{"error":"invalid_client"}""")]
    [InlineData(HttpStatusCode.OK, """{"access_token":"a2","token_type":"DPoP"}""")]
    [InlineData(HttpStatusCode.OK, "not json")]
    public async Task Refresh_Refused_ReturnsNull(HttpStatusCode status, string body)
    {
        var client = Create(_ => Json(status, body));

        Assert.Null(await client.RefreshAsync("r1", CancellationToken.None));
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task Refresh_TokenServiceUnwell_Throws(HttpStatusCode status)
    {
        var client = Create(_ => Json(status, "{}"));

        await Assert.ThrowsAsync<HttpRequestException>(() => client.RefreshAsync("r1", CancellationToken.None));
    }

    [Fact]
    public async Task Metadata_ForAnotherIssuer_IsRefused()
    {
        var client = Create(_ => Json(HttpStatusCode.OK, "{}"), Discovery("https://evil.example.com"));

        await Assert.ThrowsAsync<HttpRequestException>(() => client.MetadataAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Revoke_PostsTheTokenToTheRevocationEndpoint()
    {
        string? path = null;
        var client = Create(r =>
        {
            path = r.RequestUri!.AbsolutePath;
            return new HttpResponseMessage(HttpStatusCode.OK);
        });

        Assert.True(await client.RevokeAsync("r1", "refresh_token", CancellationToken.None));
        Assert.Equal("/connect/revoke", path);
    }

    private sealed class StubFactory(Func<HttpRequestMessage, HttpResponseMessage> answer) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(new Handler(answer));

        private sealed class Handler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
                Task.FromResult(answer(request));
        }
    }
}
