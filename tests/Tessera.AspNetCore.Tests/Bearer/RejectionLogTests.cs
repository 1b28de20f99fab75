using Microsoft.Extensions.Logging.Testing;
using Tessera.AspNetCore.Bearer;

namespace Tessera.AspNetCore.Tests.Bearer;

public class RejectionLogTests
{
    [Fact]
    public void TokenRejected_EveryReason_HasItsOwnEventNamedByItsCode()
    {
        var logger = new FakeLogger();
        foreach (var (reason, code) in FailureReasonCodes.All())
        {
            RejectionLog.TokenRejected(logger, reason, "-", "kid-1", "ES256", "-", "fingerprint");
            var record = logger.LatestRecord;
            Assert.Equal(RejectionLog.EventIdOf(reason), record.Id.Id);
            Assert.Equal(code, record.Id.Name);
            Assert.Contains(code, record.Message, StringComparison.Ordinal);
        }

        var ids = logger.Collector.GetSnapshot().Select(r => r.Id.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.InRange(id, 2501, 2599));
    }
}
