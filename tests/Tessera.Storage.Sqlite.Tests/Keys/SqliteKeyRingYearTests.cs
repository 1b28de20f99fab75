using Microsoft.Extensions.Time.Testing;
using Tessera.Jose;
using Tessera.Keys.Ring;
using Tessera.Storage.Sqlite.Keys;
using Tessera.Tests.Keys.Ring;

namespace Tessera.Storage.Sqlite.Tests.Keys;

public sealed class SqliteKeyRingYearTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task SimulatedYear_TwoProcessesOneFile_NoValidTokenRejectedAndNoEarlySigning()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var policy = new RotationPolicy { Algorithms = [JwsAlgorithm.ES256] };
        var kek = KeyEncryptionKey.Generate().Key;
        SqliteKeyStore Process() => new(SqliteDatabase.Open(_temp.Path), kek);
        var simulation = new RingSimulation(time, policy, [Process(), Process()]);

        await simulation.RunAsync(TimeSpan.FromDays(365), TimeSpan.FromMinutes(45));

        RingAssert.HealthyYear(simulation, policy, await Process().LoadAsync());
    }
}
