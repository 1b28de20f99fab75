using Tessera.Jose;

namespace Tessera.Keys.Ring;

/// <summary>
/// When ring keys are created, start signing, stop signing and leave the JWKS. Every time follows from
/// these settings and the keys' own timestamps, so processes sharing a store need no leader to agree.
/// Immutable once built; <see cref="Validate"/> (called by <see cref="KeyRing"/>) refuses inconsistent
/// settings with a message that says the fix.
/// </summary>
public sealed class RotationPolicy
{
    /// <summary>The default policy: ES256, 30-day rotation, 1-hour JWKS cache, 5-minute skew, 24-hour tokens.</summary>
    public static RotationPolicy Default { get; } = new();

    /// <summary>The algorithms the ring keeps one active key for. Default: ES256. Asymmetric only.</summary>
    public IReadOnlyList<JwsAlgorithm> Algorithms { get; init; } = [JwsAlgorithm.ES256];

    /// <summary>How long a key signs before its successor takes over. Default: 30 days.</summary>
    public TimeSpan RotationPeriod { get; init; } = TimeSpan.FromDays(30);

    /// <summary>The longest time a verifier may cache the JWKS: the <c>Cache-Control</c> max-age. Default: 1 hour.</summary>
    public TimeSpan JwksCacheLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The clock difference tolerated between the token service, other ring processes and verifiers. Default: 5 minutes.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest lifetime of any token a ring key signs. Default: 24 hours. The issuer must not sign longer-lived tokens.</summary>
    public TimeSpan MaxTokenLifetime { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How old the ring's view of the store may get before it is read again. Default: 1 minute.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a new key is published before it signs: the JWKS cache lifetime plus the clock skew.</summary>
    public TimeSpan PublishAhead => JwksCacheLifetime + ClockSkew;

    /// <summary>How long a retired key stays published: the longest token lifetime plus the clock skew.</summary>
    public TimeSpan RetiredRetention => MaxTokenLifetime + ClockSkew;

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting to fix when the policy is inconsistent.</summary>
    public void Validate()
    {
        if (Algorithms is null || Algorithms.Count == 0)
        {
            Fail(nameof(Algorithms), "names no algorithm. Configure at least one, e.g. ES256.");
        }

        foreach (var algorithm in Algorithms!)
        {
            if (algorithm is null)
            {
                Fail(nameof(Algorithms), "contains null. List only supported algorithms, e.g. ES256.");
            }
            else if (algorithm.IsSymmetric)
            {
                Fail(nameof(Algorithms), $"contains {algorithm.Name}. A key ring publishes its keys, so it needs an asymmetric algorithm such as ES256, EdDSA or PS256.");
            }
        }

        if (Algorithms!.Distinct().Count() != Algorithms!.Count)
        {
            Fail(nameof(Algorithms), "repeats an algorithm. List each once; the ring keeps one active key per algorithm.");
        }

        Positive(ClockSkew, nameof(ClockSkew), allowZero: true);
        Positive(JwksCacheLifetime, nameof(JwksCacheLifetime), allowZero: false);
        Positive(MaxTokenLifetime, nameof(MaxTokenLifetime), allowZero: false);
        Positive(RefreshInterval, nameof(RefreshInterval), allowZero: false);
        if (RotationPeriod <= PublishAhead)
        {
            Fail(nameof(RotationPeriod), $"({RotationPeriod}) must be longer than the publish-ahead time ({PublishAhead} = JwksCacheLifetime + ClockSkew). Lengthen the rotation period or shorten the JWKS cache lifetime.");
        }

        if (RefreshInterval > JwksCacheLifetime)
        {
            Fail(nameof(RefreshInterval), $"({RefreshInterval}) must not exceed JwksCacheLifetime ({JwksCacheLifetime}), or a process could sign with a key another process has already retired. Shorten the refresh interval.");
        }
    }

    private static void Positive(TimeSpan value, string name, bool allowZero)
    {
        if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero))
        {
            Fail(name, $"({value}) must be {(allowZero ? "zero or positive" : "positive")}.");
        }
    }

    private static void Fail(string setting, string problem) =>
        throw new ArgumentException($"Key rotation policy: {setting} {problem}", setting);
}
