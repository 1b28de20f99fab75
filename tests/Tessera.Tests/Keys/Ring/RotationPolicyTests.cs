using Tessera.Jose;
using Tessera.Keys.Ring;

namespace Tessera.Tests.Keys.Ring;

public sealed class RotationPolicyTests
{
    [Fact]
    public void Default_IsValidWithDocumentedValues()
    {
        var policy = RotationPolicy.Default;
        policy.Validate();
        Assert.Equal([JwsAlgorithm.ES256], policy.Algorithms);
        Assert.Equal(TimeSpan.FromDays(30), policy.RotationPeriod);
        Assert.Equal(TimeSpan.FromMinutes(65), policy.PublishAhead);
        Assert.Equal(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(5), policy.RetiredRetention);
    }

    public static TheoryData<string, RotationPolicy> Invalid => new()
    {
        { "Algorithms", new RotationPolicy { Algorithms = [] } },
        { "Algorithms", new RotationPolicy { Algorithms = [JwsAlgorithm.HS256] } },
        { "Algorithms", new RotationPolicy { Algorithms = [JwsAlgorithm.ES256, JwsAlgorithm.ES256] } },
        { "RotationPeriod", new RotationPolicy { RotationPeriod = TimeSpan.FromMinutes(30) } },
        { "JwksCacheLifetime", new RotationPolicy { JwksCacheLifetime = TimeSpan.Zero } },
        { "ClockSkew", new RotationPolicy { ClockSkew = TimeSpan.FromSeconds(-1) } },
        { "MaxTokenLifetime", new RotationPolicy { MaxTokenLifetime = TimeSpan.Zero } },
        { "RefreshInterval", new RotationPolicy { RefreshInterval = TimeSpan.FromHours(2) } },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_Inconsistent_ThrowsNamingTheSetting(string setting, RotationPolicy policy)
    {
        var e = Assert.Throws<ArgumentException>(policy.Validate);
        Assert.Equal(setting, e.ParamName);
        Assert.Contains(setting, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyRing_InvalidPolicy_FailsWhenBuilt()
    {
        var e = Assert.Throws<ArgumentException>(() => new KeyRing(new InMemoryKeyStore(), new RotationPolicy { Algorithms = [JwsAlgorithm.HS512] }));
        Assert.Contains("asymmetric", e.Message, StringComparison.Ordinal);
    }
}
