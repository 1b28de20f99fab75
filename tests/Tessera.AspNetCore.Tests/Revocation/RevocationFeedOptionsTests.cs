using Tessera.AspNetCore.Revocation;
using Tessera.Jose;

namespace Tessera.AspNetCore.Tests.Revocation;

public sealed class RevocationFeedOptionsTests
{
    private static RevocationFeedOptions Valid() => new() { Issuer = "https://id.example", ClientId = "api", ClientSecret = "s" };

    [Fact]
    public void Defaults_Valid_FeedAndAudienceUnderTheIssuer()
    {
        var options = Valid();

        Assert.Empty(options.Check());
        Assert.Equal(new Uri("https://id.example/feed/poll"), options.EffectivePollEndpoint);
        Assert.Equal("https://id.example/feed", options.EffectiveAudience);
    }

    public static TheoryData<string, Action<RevocationFeedOptions>> Problems => new()
    {
        { "Issuer", o => o.Issuer = null },
        { "ClientSecret", o => o.ClientSecret = null },
        { "https://", o => o.Issuer = "http://id.example" },
        { "MaxStaleness", o => o.MaxStaleness = TimeSpan.Zero },
        { "PollTimeout", o => o.PollTimeout = TimeSpan.FromMilliseconds(10) },
        { "MaxEventsPerPoll", o => o.MaxEventsPerPoll = 0 },
        { "MaxRetryDelay", o => o.MaxRetryDelay = TimeSpan.FromMilliseconds(1) },
        { "asymmetric", o => o.AllowedAlgorithms.Add(JwsAlgorithm.HS256) },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public void Unusable_RefusedWithTheFix(string expected, Action<RevocationFeedOptions> spoil)
    {
        var options = Valid();
        spoil(options);

        Assert.Contains(options.Check(), p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void PlainHttp_OnLoopback_Accepted()
    {
        var options = Valid();
        options.Issuer = "http://127.0.0.1:5080";

        Assert.Empty(options.Check());
    }
}
