using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Tessera.Browser.Tests.Support;

namespace Tessera.Browser.Tests.Bff;

/// <summary>The BFF's counters on the Tessera meter: reason codes and results only.</summary>
public sealed class BffMetricsTests(BffEnvironment environment) : IClassFixture<BffEnvironment>
{
    [Fact]
    public async Task SignInRefreshAndRefusal_AreCountedWithReasonCodes()
    {
        var meters = environment.BffServices.GetRequiredService<IMeterFactory>();
        using var logins = new MetricCollector<long>(meters, "Tessera", "tessera.bff.login");
        using var refreshes = new MetricCollector<long>(meters, "Tessera", "tessera.bff.refresh");
        using var refused = new MetricCollector<long>(meters, "Tessera", "tessera.bff.request.refused");
        using var browser = new BrowserlessClient();

        (await browser.SignInAsync(environment.BffAddress, BffEnvironment.Username, environment.Password)).Dispose();
        (await browser.GetAsync(environment.BffAddress + "/bff/api/orders", antiCsrf: true)).Dispose();
        (await browser.GetAsync(environment.BffAddress + "/bff/api/orders")).Dispose();

        Assert.Contains(logins.GetMeasurementSnapshot(), m => m.Tags["tessera.result"] as string == "success");
        Assert.Contains(refreshes.GetMeasurementSnapshot(), m => m.Tags["tessera.result"] as string == "success");
        var refusal = Assert.Single(refused.GetMeasurementSnapshot());
        Assert.Equal("anti_csrf_header_missing", refusal.Tags["error.type"]);
        Assert.All(
            logins.GetMeasurementSnapshot().Concat(refreshes.GetMeasurementSnapshot()).Concat(refused.GetMeasurementSnapshot()).SelectMany(m => m.Tags.Values),
            v => Assert.True(v is string { Length: < 40 } s && !s.StartsWith("usr_", StringComparison.Ordinal) && !s.Contains("eyJ", StringComparison.Ordinal), $"{v}"));
    }
}
