using Tessera.Keys.Ring;

namespace Tessera.Tests.Keys.Ring;

/// <summary>The properties every simulated year must have, whatever the store.</summary>
internal static class RingAssert
{
    public static void HealthyYear(RingSimulation simulation, RotationPolicy policy, KeyStoreContents finalContents)
    {
        Assert.Empty(simulation.Failures);
        Assert.True(simulation.Issued > 10_000, $"only {simulation.Issued} tokens issued");
        foreach (var algorithm in policy.Algorithms)
        {
            var signers = simulation.Signers.Values.Where(k => k.Algorithm == algorithm).ToArray();
            Assert.True(signers.Length >= 11, $"{algorithm}: {signers.Length} keys signed, expected at least ten rotations");
            var final = finalContents.Keys.Where(k => k.Algorithm == algorithm).OrderBy(k => k.Generation).ToArray();
            Assert.Equal(Enumerable.Range(1, final.Length), final.Select(k => k.Generation));

            // Only the first key of an empty ring signs at once; every successor was published for the
            // JWKS cache lifetime plus the clock skew before it signed.
            foreach (var key in final.Skip(1))
            {
                Assert.True(key.ActivatesAt - key.CreatedAt >= policy.PublishAhead, $"{key} activated {key.ActivatesAt - key.CreatedAt} after it was published");
            }

            // Retired keys stayed published for the longest token lifetime plus the skew.
            foreach (var key in final.Where(k => k.RetiresAt is not null))
            {
                Assert.Equal(key.RetiresAt + policy.RetiredRetention, key.RemovesAt);
            }
        }

        // Keys that can no longer sign have lost their private part.
        var end = finalContents.Keys.Max(k => k.CreatedAt);
        Assert.All(finalContents.Keys.Where(k => k.StateAt(end) is KeyState.Retired or KeyState.Removed), k => Assert.False(k.Key.HasPrivateKey));
    }
}
