using Tessera.AspNetCore.Bff;

namespace Tessera.Browser.Tests.Bff;

public sealed class TesseraBffOptionsValidatorTests
{
    private static TesseraBffOptions Valid() => new()
    {
        Authority = "https://id.example.com",
        ClientId = "portal",
        ClientSecret = "s3cret",
        ApiAudience = "api://orders",
        ApiBaseAddress = new Uri("https://orders.example.com/"),
    };

    [Fact]
    public void Check_CompleteOptions_HasNoErrors() => Assert.Empty(TesseraBffOptionsValidator.Check(Valid()));

    [Fact]
    public void Check_LoopbackHttp_IsAccepted()
    {
        var options = Valid();
        options.Authority = "http://127.0.0.1:5080";
        options.ApiBaseAddress = new Uri("http://127.0.0.1:5081");

        Assert.Empty(TesseraBffOptionsValidator.Check(options));
    }

    public static TheoryData<string, Action<TesseraBffOptions>> Broken => new()
    {
        { "Authority", o => o.Authority = null },
        { "Authority", o => o.Authority = "http://id.example.com" },
        { "Authority", o => o.Authority = "https://id.example.com/?x=1" },
        { "ClientId", o => o.ClientId = " " },
        { "ClientSecret", o => o.ClientSecret = null },
        { "ApiAudience", o => o.ApiAudience = null },
        { "ApiBaseAddress", o => o.ApiBaseAddress = null },
        { "ApiBaseAddress", o => o.ApiBaseAddress = new Uri("http://orders.example.com/") },
        { "PublicOrigin", o => o.PublicOrigin = new Uri("http://app.example.com/") },
        { "Scopes", o => o.Scopes.Add("a b") },
        { "SessionLifetime", o => o.SessionLifetime = TimeSpan.Zero },
        { "RefreshBeforeExpiry", o => o.RefreshBeforeExpiry = TimeSpan.FromMinutes(6) },
        { "LoginTimeout", o => o.LoginTimeout = TimeSpan.FromHours(2) },
        { "Timeout", o => o.Timeout = TimeSpan.Zero },
        { "SessionDatabasePath", o => o.SessionDatabasePath = "" },
        { "MaxForwardedBodyBytes", o => o.MaxForwardedBodyBytes = -1 },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Check_BrokenSetting_NamesTheSetting(string setting, Action<TesseraBffOptions> breakIt)
    {
        var options = Valid();
        breakIt(options);

        var error = Assert.Single(TesseraBffOptionsValidator.Check(options));
        Assert.Contains(setting, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_DistributedCache_NeedsNoDatabasePath()
    {
        var options = Valid();
        options.SessionDatabasePath = "";
        options.UseDistributedCache = true;

        Assert.Empty(TesseraBffOptionsValidator.Check(options));
    }
}
