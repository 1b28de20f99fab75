using Microsoft.Extensions.Time.Testing;
using Tessera.Jose;
using Tessera.Keys.Ring;

namespace Tessera.Tests.Keys.Ring;

public sealed class KeyRingYearTests
{
    [Fact]
    public async Task SimulatedYear_TwoProcessesTwoAlgorithms_NoValidTokenRejectedAndNoEarlySigning()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var policy = new RotationPolicy { Algorithms = [JwsAlgorithm.ES256, JwsAlgorithm.EdDSA] };
        var store = new InMemoryKeyStore();
        var simulation = new RingSimulation(time, policy, [store, store]);

        await simulation.RunAsync(TimeSpan.FromDays(365), TimeSpan.FromMinutes(30));

        RingAssert.HealthyYear(simulation, policy, await store.LoadAsync());
    }
}
