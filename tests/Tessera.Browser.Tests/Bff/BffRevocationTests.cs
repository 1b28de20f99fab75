using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Tessera.Browser.Tests.Support;

namespace Tessera.Browser.Tests.Bff;

/// <summary>What the BFF does when the token service stops honouring the session's refresh token.</summary>
public sealed class BffRevocationTests(BffEnvironment environment) : IClassFixture<BffEnvironment>
{
    [Fact]
    public async Task Api_AfterAccountCompromiseTrigger_EndsTheSessionWith401()
    {
        using var browser = new BrowserlessClient();
        (await browser.SignInAsync(environment.BffAddress, BffEnvironment.Username, environment.Password)).Dispose();
        using var user = await browser.GetAsync(environment.BffAddress + "/bff/user", antiCsrf: true);
        using var claims = JsonDocument.Parse(await user.Content.ReadAsStringAsync());
        var subject = claims.RootElement.GetProperty("sub").GetString();

        using var admin = new HttpClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", environment.AdminKey);
        using var trigger = await admin.PostAsync(
            new Uri(environment.Issuer + "/admin/triggers"),
            new StringContent(JsonSerializer.Serialize(new { @event = "account_compromise", subject }), Encoding.UTF8, "application/json"));
        Assert.True(trigger.IsSuccessStatusCode, $"trigger: {(int)trigger.StatusCode} {await trigger.Content.ReadAsStringAsync()}");

        // The next call refreshes (as every call does here); the revoked family refuses, so the session ends.
        using var api = await browser.GetAsync(environment.BffAddress + "/bff/api/orders", antiCsrf: true);
        using var after = await browser.GetAsync(environment.BffAddress + "/bff/user", antiCsrf: true);

        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.DoesNotContain("__Host-tessera-bff", browser.Cookies.Keys);
        Assert.Contains(LogCapture.Instance.Lines, l => l.Contains("[2403]", StringComparison.Ordinal));
    }
}
