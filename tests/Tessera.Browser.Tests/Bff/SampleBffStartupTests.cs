using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Tessera.SampleBff;

namespace Tessera.Browser.Tests.Bff;

public sealed class SampleBffStartupTests
{
    [Fact]
    public async Task Start_WithoutClientSecret_RefusesWithTheFix()
    {
        var data = Path.Combine(Path.GetTempPath(), "tessera-bff-start-" + Guid.NewGuid().ToString("N"));
        await using var app = SampleBffHost.Create([], configure: b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["data"] = data,
            [SampleBffSettings.SecretVariable] = "",
        }));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(error.Failures, f => f.Contains("ClientSecret", StringComparison.Ordinal));
    }
}
