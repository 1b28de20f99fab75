using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using Tessera.AspNetCore.Diagnostics;
using Tessera.Jose;
using Xunit.Abstractions;

namespace Tessera.Integration.Tests;

/// <summary>
/// The failure-signal analyser behind the sample API, fed by real rejected requests: a client whose tokens are stamped
/// 90 s ahead, a burst of forged tokens, <c>alg</c> <c>none</c> attempts, a wrong-audience streak; its findings served at
/// the diagnostics endpoint to an authorised caller only.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class FailureSignalTests(SampleEnvironment env, ITestOutputHelper output) : AuditedTest, IClassFixture<SampleEnvironment>
{
    [Fact]
    public async Task ClockOffset_Plus90Seconds_EstimatedWithinFiveSeconds()
    {
        var ahead = new FakeTimeProvider(DateTimeOffset.UtcNow.AddSeconds(90));
        for (var i = 0; i < 8; i++)
        {
            ahead.SetUtcNow(DateTimeOffset.UtcNow.AddSeconds(90));
            var token = await env.TokenService.UserAccessTokenAsync(LogCapture.Instance.RejectedSubject($"user-skewed-{i}-e41d"), SampleEnvironment.Audience, "orders:read", clientId: "skewed-client", clock: ahead);
            using var response = await env.Api.GetAsync("/orders", token);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            await Task.Delay(20);
        }

        var estimate = env.Api.Services.GetRequiredService<FailureSignalAnalyzer>().EstimateClockDrift("skewed-client");
        Assert.NotNull(estimate);
        output.WriteLine($"estimated offset {estimate.OffsetSeconds} s (spread {estimate.SpreadSeconds} s, {estimate.Samples} samples)");
        Assert.InRange(estimate.OffsetSeconds, 85, 95);

        var findings = await FindingsAsync();
        var drift = Assert.Single(findings.EnumerateArray(), f => f.GetProperty("kind").GetString() == "clock_drift" && f.GetProperty("key").GetString() == "skewed-client");
        Assert.InRange(drift.GetProperty("estimated_offset_seconds").GetDouble(), 85, 95);
    }

    [Fact]
    public async Task ForgedTokens_BurstFromOneSource_FlaggedAsLikelyAttack()
    {
        using var findingsCounter = new MetricCollector<long>(env.Api.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "Tessera", "tessera.diagnostics.findings");
        var kid = await env.TokenService.SigningKidAsync();
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256); // the wrong key, under the real kid
        for (var i = 0; i < 12; i++)
        {
            var payload = $$"""{"iss":"{{env.TokenService.Issuer}}","sub":"{{LogCapture.Instance.RejectedSubject($"admin-forged-{i}-9f3a")}}","aud":"{{SampleEnvironment.Audience}}","client_id":"web-front","scope":"orders:read","jti":"f{{i}}","iat":{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}},"exp":{{DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds()}}}""";
            var forged = LogCapture.Instance.Token(SignEs256(attacker, kid, payload));
            using var response = await env.Api.GetAsync("/orders", forged);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        for (var i = 0; i < 3; i++)
        {
            var header = Base64Url.Encode("""{"alg":"none","typ":"at+jwt"}"""u8);
            var body = Base64Url.Encode(Encoding.UTF8.GetBytes($$"""{"iss":"{{env.TokenService.Issuer}}","sub":"{{LogCapture.Instance.RejectedSubject($"admin-none-{i}-1c7b")}}","aud":"{{SampleEnvironment.Audience}}","scope":"orders:read"}"""));
            using var response = await env.Api.GetAsync("/orders", LogCapture.Instance.Token($"{header}.{body}."));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        var findings = (await FindingsAsync()).EnumerateArray().ToList();
        var burst = Assert.Single(findings, f => f.GetProperty("kind").GetString() == "signature_failure_burst");
        Assert.Equal("source", burst.GetProperty("subject_type").GetString());
        Assert.Equal("127.0.0.1", burst.GetProperty("key").GetString());
        Assert.Contains("likely forgery", burst.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Single(findings, f => f.GetProperty("kind").GetString() == "algorithm_confusion");
        Assert.Contains(findingsCounter.GetMeasurementSnapshot(), m => m.Tags["tessera.finding.kind"] as string == "signature_failure_burst");
        Assert.Contains(findingsCounter.GetMeasurementSnapshot(), m => m.Tags["tessera.finding.kind"] as string == "algorithm_confusion");

        // The analyser's log line names the source and the kind, and nothing of the tokens.
        Assert.Contains(LogCapture.Instance.Lines, l => l.Contains("[2301]", StringComparison.Ordinal) && l.Contains("signature_failure_burst", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WrongAudience_StreakFromOneClient_FlaggedAsClientBug()
    {
        for (var i = 0; i < 5; i++)
        {
            var token = await env.TokenService.UserAccessTokenAsync(LogCapture.Instance.RejectedSubject($"user-misdirected-{i}-0d2e"), "api://billing", "orders:read", clientId: "confused-client");
            using var response = await env.Api.GetAsync("/orders", token);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        var findings = await FindingsAsync();
        Assert.Single(findings.EnumerateArray(), f => f.GetProperty("kind").GetString() == "wrong_audience_streak" && f.GetProperty("key").GetString() == "confused-client");
    }

    [Fact]
    public async Task Diagnostics_WithoutAuthorisedToken_Refused()
    {
        using var anonymous = await env.Api.GetAsync(TesseraDiagnosticsDefaults.Pattern, null);
        var user = await env.TokenService.UserAccessTokenAsync("user-curious", SampleEnvironment.Audience, "service:status");
        using var userToken = await env.Api.GetAsync(TesseraDiagnosticsDefaults.Pattern, user);
        var service = await env.ServiceTokenAsync("orders:read");
        using var lackingScope = await env.Api.GetAsync(TesseraDiagnosticsDefaults.Pattern, service);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, userToken.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, lackingScope.StatusCode);
    }

    private static string SignEs256(ECDsa key, string kid, string payload)
    {
        var input = $"{Base64Url.Encode(Encoding.UTF8.GetBytes($$"""{"alg":"ES256","kid":"{{kid}}","typ":"at+jwt"}"""))}.{Base64Url.Encode(Encoding.UTF8.GetBytes(payload))}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return input + "." + Base64Url.Encode(signature);
    }

    private async Task<JsonElement> FindingsAsync()
    {
        var token = await env.ServiceTokenAsync("service:status");
        using var response = await env.Api.GetAsync(TesseraDiagnosticsDefaults.Pattern, token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("findings").Clone();
    }
}
