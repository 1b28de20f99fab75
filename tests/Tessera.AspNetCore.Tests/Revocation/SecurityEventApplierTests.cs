using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Tessera.AspNetCore.Revocation;
using Tessera.AspNetCore.Tests.Support;
using Tessera.Jose;
using Tessera.Revocation;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Tests.Revocation;

public sealed class SecurityEventApplierTests : IDisposable
{
    private const string Issuer = "https://id.example";
    private const string Audience = "https://id.example/feed";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly TestSigner _signer = new("feed-key");
    private readonly InMemoryRevocationIndex _index;
    private readonly FakeLogger _logger = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MetricCollector<long> _events;
    private readonly SecurityEventApplier _applier;

    public SecurityEventApplierTests()
    {
        _index = new InMemoryRevocationIndex(_time);
        var meters = _services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        _events = new MetricCollector<long>(meters, "Tessera", "tessera.revocation.feed.events");
        var options = new TokenProfileOptions();
        options.Issuers.Add(Issuer);
        options.Audiences.Add(Audience);
        options.AllowedAlgorithms.Add(JwsAlgorithm.ES256);
        var metrics = new RevocationFeedMetrics(meters, new RevocationFeedState(_time, TimeSpan.FromSeconds(30)));
        _applier = new SecurityEventApplier(TokenProfile.Create(TokenKind.SecurityEvent, options), _index, _time, _logger, metrics);
    }

    public void Dispose()
    {
        _events.Dispose();
        _services.Dispose();
        _signer.Dispose();
    }

    private long Now => _time.GetUtcNow().ToUnixTimeSeconds();

    private string Set(string jti, string events, string iss = Issuer, string aud = Audience, TestSigner? signer = null, string typ = "secevent+jwt") =>
        (signer ?? _signer).Sign($$$"""{"iss":"{{{iss}}}","iat":{{{Now}}},"jti":"{{{jti}}}","aud":"{{{aud}}}","txn":"trg_1","events":{{{{events}}}}}""", typ);

    private static string Event(string uri, string body) => $"\"{uri}\":{body}";

    private static string Cutoff(string scope, string value, long before) =>
        Event(SecurityEventApplier.RevokedBeforeEvent, $$"""{"scope":"{{scope}}","value":"{{value}}","revoked_before":{{before}},"trigger":"password_reset"}""");

    private bool Revoked(string subject, long issuedAt, string tokenId = "", string client = "", string tenant = "")
    {
        var query = new RevocationQuery(subject, tenant, client, tokenId, issuedAt);
        return _index.IsRevoked(in query);
    }

    [Theory]
    [InlineData("subject")]
    [InlineData("tenant")]
    [InlineData("client")]
    public void RevokedBefore_Applied_TokensIssuedBeforeAreRevoked(string scope)
    {
        var outcome = _applier.Apply("set1", Set("set1", Cutoff(scope, "v-1", Now)), _signer.Keys);

        Assert.Equal(SecurityEventApplier.Outcome.Applied, outcome.Outcome);
        bool Check(long iat) => scope switch
        {
            "subject" => Revoked("v-1", iat),
            "tenant" => Revoked("x", iat, tenant: "v-1"),
            _ => Revoked("x", iat, client: "v-1"),
        };
        Assert.True(Check(Now - 10));
        Assert.False(Check(Now + 10));
        Assert.Contains(_events.GetMeasurementSnapshot(), m => m.Tags["tessera.result"] as string == "applied" && m.Tags["tessera.revocation.event"] as string == "cutoff");
    }

    [Fact]
    public void TokenDenied_Applied_ThatJtiIsRevoked()
    {
        var events = Event(SecurityEventApplier.TokenDeniedEvent, $$"""{"jti":"tok-9","exp":{{Now + 300}},"trigger":"rfc7009"}""");

        var outcome = _applier.Apply("set2", Set("set2", events), _signer.Keys);

        Assert.Equal(SecurityEventApplier.Outcome.Applied, outcome.Outcome);
        Assert.True(Revoked("u", Now, tokenId: "tok-9"));
        Assert.False(Revoked("u", Now, tokenId: "tok-10"));
    }

    [Fact]
    public void UnknownEventType_IgnoredButAcknowledged()
    {
        var events = Event("https://schemas.example/secevent/something-new", """{"x":1}""");

        var outcome = _applier.Apply("set3", Set("set3", events), _signer.Keys);

        Assert.Equal(SecurityEventApplier.Outcome.Applied, outcome.Outcome);
        Assert.Contains(_events.GetMeasurementSnapshot(), m => m.Tags["tessera.result"] as string == "ignored");
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "invalid_audience", "aud" },
        { "invalid_issuer", "iss" },
        { "invalid_key", "key" },
        { "invalid_request", "typ" },
        { "invalid_request", "jti" },
        { "invalid_request", "scope" },
        { "invalid_request", "value" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void InvalidSet_RefusedWithRfc8935Code_NothingApplied(string error, string flaw)
    {
        using var stranger = new TestSigner("feed-key");
        var set = flaw switch
        {
            "aud" => Set("s", Cutoff("subject", "v", Now), aud: "https://other.example/feed"),
            "iss" => Set("s", Cutoff("subject", "v", Now), iss: "https://evil.example"),
            "key" => Set("s", Cutoff("subject", "v", Now), signer: stranger),
            "typ" => Set("s", Cutoff("subject", "v", Now), typ: "at+jwt"),
            "jti" => Set("another", Cutoff("subject", "v", Now)),
            "scope" => Set("s", Cutoff("planet", "v", Now)),
            _ => Set("s", Cutoff("subject", "", Now)),
        };

        var outcome = _applier.Apply("s", set, _signer.Keys);

        Assert.Equal(SecurityEventApplier.Outcome.Refused, outcome.Outcome);
        Assert.Equal(error, outcome.Error);
        Assert.False(Revoked("v", Now - 10));
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == 2105);
    }

    [Fact]
    public void SetSignedByUnknownKey_KeyMissing_SoTheCallerCanRefreshKeys()
    {
        using var rotated = new TestSigner("next-key");

        var outcome = _applier.Apply("s", Set("s", Cutoff("subject", "v", Now), signer: rotated), _signer.Keys);

        Assert.Equal(SecurityEventApplier.Outcome.KeyMissing, outcome.Outcome);
    }

    [Fact]
    public void Logs_NameScopeAndTrigger_NeverTheSubject()
    {
        _applier.Apply("set1", Set("set1", Cutoff("subject", "alice@example.com", Now)), _signer.Keys);

        var record = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Id.Id == 2104);
        Assert.Contains("subject", record.Message, StringComparison.Ordinal);
        Assert.Contains("password_reset", record.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", record.Message, StringComparison.Ordinal);
    }
}
