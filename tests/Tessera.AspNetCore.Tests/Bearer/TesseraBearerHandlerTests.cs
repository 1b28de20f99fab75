using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tessera.AspNetCore.Bearer;
using Tessera.AspNetCore.Diagnostics;
using Tessera.AspNetCore.Introspection;
using Tessera.AspNetCore.Revocation;
using Tessera.AspNetCore.Tests.Support;
using Tessera.Keys;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Tests.Bearer;

public sealed class TesseraBearerHandlerTests
{
    [Fact]
    public async Task ValidToken_ClaimsUnderTheirJwtNames()
    {
        await using var api = await BearerTestApi.StartAsync();

        using var response = await api.GetAsync("/orders", api.Token(c => c["aud"] = new[] { BearerTestApi.Audience, "api://other" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var claims = JsonSerializer.Deserialize<string[][]>(await response.Content.ReadAsStringAsync())!;
        Assert.Contains(claims, c => c[0] == "sub" && c[1] == "user-1");
        Assert.Equal(2, claims.Count(c => c[0] == "aud"));
        Assert.DoesNotContain(claims, c => c[0].StartsWith("http://schemas", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownKid_LoggedWithHeaderKidAndAlg_NeverTheTokenOrSubject()
    {
        await using var api = await BearerTestApi.StartAsync();
        using var stranger = new TestSigner("kid-from-elsewhere");
        var token = api.Token(c => c["sub"] = "secret-subject-42", signer: stranger);

        using var response = await api.GetAsync("/orders", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var record = Assert.Single(api.Logs.GetSnapshot(), r => r.Id.Id == RejectionLog.EventIdOf(FailureReason.KeyNotFound));
        Assert.Equal("key_not_found", record.Id.Name);
        Assert.Contains("key_not_found", record.Message, StringComparison.Ordinal);
        Assert.Contains("kid kid-from-elsewhere", record.Message, StringComparison.Ordinal);
        Assert.Contains("alg ES256", record.Message, StringComparison.Ordinal);
        Assert.Contains(Telemetry.TokenFingerprint.Of(token), record.Message, StringComparison.Ordinal);
        var all = string.Join("\n", api.Logs.GetSnapshot().Select(r => r.Message + " " + string.Join(",", r.StructuredState?.Select(s => s.Value) ?? [])));
        Assert.DoesNotContain(token.Split('.')[1], all, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-subject-42", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredToken_LogsTheVerifiedClient_NotTheSubject()
    {
        await using var api = await BearerTestApi.StartAsync();
        var token = api.Token(c =>
        {
            c["sub"] = "secret-subject-43";
            c["iat"] = DateTimeOffset.UtcNow.AddMinutes(-20).ToUnixTimeSeconds();
            c["exp"] = DateTimeOffset.UtcNow.AddMinutes(-15).ToUnixTimeSeconds();
        });

        using var response = await api.GetAsync("/orders", token);

        var record = Assert.Single(api.Logs.GetSnapshot(), r => r.Id.Id == RejectionLog.EventIdOf(FailureReason.Expired));
        Assert.Equal("expired", record.Id.Name);
        Assert.Contains("expired", record.Message, StringComparison.Ordinal);
        Assert.Contains("client web-app", record.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-subject-43", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoneAlgorithm_LoggedAsNone_UnknownAlgorithmNamesNotEchoed()
    {
        await using var api = await BearerTestApi.StartAsync();
        var none = Jose.Base64Url.Encode("""{"alg":"none"}"""u8) + "." + Jose.Base64Url.Encode("""{"sub":"x"}"""u8) + ".";
        var weird = Jose.Base64Url.Encode("""{"alg":"<script>","kid":"k\u0001"}"""u8) + "." + Jose.Base64Url.Encode("""{"sub":"x"}"""u8) + ".c2ln";

        using var first = await api.GetAsync("/orders", none);
        using var second = await api.GetAsync("/orders", weird);

        var records = api.Logs.GetSnapshot().Where(r => r.Id.Id is > 2500 and < 2520).Select(r => r.Message).ToList();
        Assert.Contains(records, m => m.Contains("alg none", StringComparison.Ordinal));
        Assert.Contains(records, m => m.Contains("alg unknown", StringComparison.Ordinal) && m.Contains("kid k?", StringComparison.Ordinal));
        Assert.DoesNotContain(records, m => m.Contains("<script>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rejections_FeedTheAnalyser()
    {
        await using var api = await BearerTestApi.StartAsync(services: s => s.AddTesseraDiagnostics());
        using var forger = new TestSigner("k1");
        for (var i = 0; i < 10; i++)
        {
            using var response = await api.GetAsync("/orders", api.Token(signer: forger));
        }

        var finding = Assert.Single(api.App.Services.GetRequiredService<FailureSignalAnalyzer>().GetFindings());
        Assert.Equal(FindingKinds.SignatureFailureBurst, finding.Kind);
        Assert.Equal("127.0.0.1", finding.Key);
    }

    [Fact]
    public async Task Validations_CountedByResultReasonKindAndScheme()
    {
        await using var api = await BearerTestApi.StartAsync();
        using var validations = new MetricCollector<long>(api.App.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "Tessera", "tessera.token.validations");
        using var duration = new MetricCollector<double>(api.App.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "Tessera", "tessera.token.validation.duration");

        using var ok = await api.GetAsync("/orders", api.Token());
        using var wrongType = await api.GetAsync("/orders", api.Token(typ: "service+jwt"));

        var measured = validations.GetMeasurementSnapshot();
        Assert.Contains(measured, m => (string)m.Tags["tessera.result"]! == "success" && (string)m.Tags["tessera.token.kind"]! == "access" && (string)m.Tags["tessera.scheme"]! == "Bearer");
        Assert.Contains(measured, m => (string)m.Tags["tessera.result"]! == "failure" && (string)m.Tags["error.type"]! == "wrong_type");
        Assert.Equal(2, duration.GetMeasurementSnapshot().Count);
    }

    [Fact]
    public async Task FreshRevocation_NoFeedConfigured_503WithTheFixInTheLog()
    {
        await using var api = await BearerTestApi.StartAsync();

        using var response = await api.GetAsync("/fresh", api.Token());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("5", response.Headers.RetryAfter?.ToString());
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.Contains(api.Logs.GetSnapshot(), r => r.Id.Id == 2002 && r.Message.Contains("AddTesseraRevocationFeed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FreshRevocation_FollowsTheFeedState()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var state = new RevocationFeedState(clock, TimeSpan.FromSeconds(30));
        await using var api = await BearerTestApi.StartAsync(services: s => s.AddSingleton(state));
        var token = api.Token();

        using var never = await api.GetAsync("/fresh", token);
        state.Synced(clock.GetUtcNow());
        using var fresh = await api.GetAsync("/fresh", token);
        clock.Advance(TimeSpan.FromSeconds(10));
        using var tighterBound = await api.GetAsync("/fresh-5s", token);
        using var withinDefault = await api.GetAsync("/fresh", token);
        clock.Advance(TimeSpan.FromSeconds(25));
        using var stale = await api.GetAsync("/fresh", token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, never.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, tighterBound.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withinDefault.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, stale.StatusCode);
    }

    [Fact]
    public async Task FreshRevocation_InvalidToken_StillAnswered401First()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var api = await BearerTestApi.StartAsync(services: s => s.AddSingleton(new RevocationFeedState(clock, TimeSpan.FromSeconds(30))));

        using var response = await api.GetAsync("/fresh", api.Token(c => c["aud"] = "api://other"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task FreshRevocation_ThroughASchemeThatDoesNotCheck_Forbidden()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var state = new RevocationFeedState(clock, TimeSpan.FromSeconds(30));
        state.Synced(clock.GetUtcNow());
        await using var api = await BearerTestApi.StartAsync(services: s => s.AddSingleton(state));

        using var response = await api.GetAsync("/fresh-other-scheme", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"active":true}""", 200, HttpStatusCode.OK)]
    [InlineData("""{"active":false}""", 200, HttpStatusCode.Unauthorized)]
    [InlineData("", 500, HttpStatusCode.ServiceUnavailable)]
    public async Task Introspection_AnswerDecides(string body, int status, HttpStatusCode expected)
    {
        await using var tokenService = await LoopbackServer.StartAsync();
        tokenService.On("/introspect", async (context, _) =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response, body);
        });
        await using var api = await BearerTestApi.StartAsync(services: s => s.AddTesseraIntrospection(o =>
        {
            o.Endpoint = new Uri(tokenService.BaseUri, "/introspect");
            o.ClientId = "orders-api";
            o.ClientSecret = "secret";
        }));

        using var response = await api.GetAsync("/pay", api.Token());

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Unauthorized)
        {
            Assert.Contains("error_description=\"The token has been revoked.\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Introspection_NotConfigured_503()
    {
        await using var api = await BearerTestApi.StartAsync();

        using var response = await api.GetAsync("/pay", api.Token());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains(api.Logs.GetSnapshot(), r => r.Id.Id == 2002 && r.Message.Contains("AddTesseraIntrospection", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OnChallenge_HandleResponse_HandlerWritesNothing()
    {
        await using var api = await BearerTestApi.StartAsync(o => o.Events.OnChallenge = context =>
        {
            context.HandleResponse();
            context.Response.StatusCode = 418;
            return Task.CompletedTask;
        });

        using var response = await api.GetAsync("/orders", "not-a-token");

        Assert.Equal((HttpStatusCode)418, response.StatusCode);
        Assert.Empty(response.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task Realm_QuotedSafely()
    {
        await using var api = await BearerTestApi.StartAsync(o => o.Realm = "orders \"api\"");

        using var response = await api.GetAsync("/orders", null);

        Assert.Equal("Bearer realm=\"orders api\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task UnknownKid_FromJwks_RefreshedWithTheHeaderKid()
    {
        await using var issuer = await LoopbackServer.StartAsync();
        using var first = new TestSigner("k1");
        using var rotated = new TestSigner("k2");
        var current = first.Keys.ToPublicJson();
        var issuerUrl = issuer.BaseUri.ToString().TrimEnd('/');
        issuer.OnJson("/.well-known/openid-configuration", _ => $$"""{"issuer":"{{issuerUrl}}","jwks_uri":"{{issuerUrl}}/jwks"}""");
        issuer.On("/jwks", (context, _) =>
        {
            context.Response.ContentType = "application/jwk-set+json";
            return Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response, current);
        });
        await using var api = await BearerTestApi.StartAsync(o =>
        {
            o.Issuer = issuerUrl;
            o.Keys = null;
            o.ConfigureJwks = j => j.MinimumRefreshInterval = TimeSpan.FromSeconds(1);
        });
        string Token(TestSigner signer) => api.Token(c => c["iss"] = issuerUrl, signer: signer);

        using var before = await api.GetAsync("/orders", Token(first));
        current = "{\"keys\":[" + first.Key.ToPublicJwk() + "," + rotated.Key.ToPublicJwk() + "]}";
        await Task.Delay(1100);
        using var after = await api.GetAsync("/orders", Token(rotated));

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Contains(api.Logs.GetSnapshot(), r => r.Id.Id == 4107 && r.Message.Contains("'k2'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task JwksUnreachable_401_NotMistakenForAnUnknownKidSpike()
    {
        await using var api = await BearerTestApi.StartAsync(
            o =>
            {
                o.Issuer = "http://127.0.0.1:9";
                o.Keys = null;
            },
            services: s => s.AddTesseraDiagnostics(o => o.UnknownKidThreshold = 2));
        for (var i = 0; i < 3; i++)
        {
            using var response = await api.GetAsync("/orders", api.Token(c => c["iss"] = "http://127.0.0.1:9"));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Empty(api.App.Services.GetRequiredService<FailureSignalAnalyzer>().GetFindings());
    }

    public static TheoryData<string, Action<TesseraBearerOptions>> Misconfigurations => new()
    {
        { "Issuer is not set", o => o.Issuer = null },
        { "Audience is not set", o => o.Audience = null },
        { "an API accepts access or service tokens only", o => o.Kind = TokenKind.Id },
        { "ClockSkew", o => o.ClockSkew = TimeSpan.FromMinutes(10) },
        { "HMAC", o => o.Keys = JsonWebKeySet.Create([JsonWebKey.FromSecret(new byte[32], Jose.JwsAlgorithm.HS256, "h")]) },
    };

    [Theory]
    [MemberData(nameof(Misconfigurations))]
    public async Task Misconfiguration_RefusedAtStartWithTheFix(string expected, Action<TesseraBearerOptions> spoil)
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => BearerTestApi.StartAsync(spoil));

        Assert.Contains(e.Failures, f => f.Contains(expected, StringComparison.Ordinal));
    }
}
