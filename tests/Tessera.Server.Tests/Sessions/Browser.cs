using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace Tessera.Server.Tests.Sessions;

/// <summary>
/// A minimal browser against the token service: its own cookie jar, redirects not followed (each hop is asserted),
/// forms filled from the HTML the server renders (hidden antiforgery token included).
/// </summary>
public sealed partial class Browser : IDisposable
{
    private readonly HttpClient _http;

    public Browser(Uri baseAddress)
    {
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = Cookies, UseCookies = true }) { BaseAddress = baseAddress };
    }

    public CookieContainer Cookies { get; }

    public void Dispose() => _http.Dispose();

    public async Task<Page> GetAsync(string url)
    {
        using var response = await _http.GetAsync(url);
        return await Page.ReadAsync(response);
    }

    public async Task<Page> PostFormAsync(string url, IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var content = new FormUrlEncodedContent(fields);
        using var response = await _http.PostAsync(url, content);
        return await Page.ReadAsync(response);
    }

    /// <summary>Fills and posts the sign-in form found on <paramref name="loginPage"/>.</summary>
    public Task<Page> SubmitLoginAsync(Page loginPage, string username, string password) =>
        PostFormAsync("/login", [
            new("__RequestVerificationToken", loginPage.Hidden("__RequestVerificationToken")!),
            new("return", loginPage.Hidden("return")!),
            new("username", username),
            new("password", password),
        ]);

    /// <summary>Signs in from the account page; the browser then holds a session.</summary>
    public async Task SignInAsync(TestUser user)
    {
        var login = await GetAsync("/login?return=%2Faccount");
        var result = await SubmitLoginAsync(login, user.Username, user.Password);
        Assert.Equal(303, result.Status);
    }

    /// <summary>
    /// Sends <paramref name="authorizeUrl"/>; when the server asks for sign-in, signs in as <paramref name="user"/> and
    /// follows back. Returns the final redirect to the client (its Location).
    /// </summary>
    public async Task<Uri> AuthorizeAsync(string authorizeUrl, TestUser? user = null)
    {
        var response = await GetAsync(authorizeUrl);
        if (response.Status == 302 && response.Location!.StartsWith("/login", StringComparison.Ordinal))
        {
            Assert.NotNull(user);
            var login = await GetAsync(response.Location);
            var signedIn = await SubmitLoginAsync(login, user.Username, user.Password);
            Assert.Equal(303, signedIn.Status);
            response = await GetAsync(signedIn.Location!);
        }

        Assert.Equal(302, response.Status);
        return new Uri(response.Location!);
    }

    public sealed partial record Page(int Status, string? Location, string Body, IReadOnlyDictionary<string, string> Headers)
    {
        public static async Task<Page> ReadAsync(HttpResponseMessage response)
        {
            var headers = response.Headers.Concat(response.Content.Headers)
                .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
            return new Page((int)response.StatusCode, response.Headers.Location?.OriginalString, await response.Content.ReadAsStringAsync(), headers);
        }

        /// <summary>The value of the hidden input <paramref name="name"/>, decoded.</summary>
        public string? Hidden(string name)
        {
            var match = Regex.Match(Body, $"name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\"");
            return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
        }

        /// <summary>The query parameters of the redirect.</summary>
        public Dictionary<string, string?> Query() =>
            QueryHelpers.ParseQuery(new Uri(new Uri("http://x"), Location!).Query).ToDictionary(p => p.Key, p => (string?)p.Value.ToString());
    }
}
