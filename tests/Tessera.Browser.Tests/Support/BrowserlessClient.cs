using System.Net;
using System.Text.RegularExpressions;

namespace Tessera.Browser.Tests.Support;

/// <summary>
/// A minimal stand-in for a browser over HTTP: one cookie jar for the host 127.0.0.1 (cookies are not isolated by
/// port, as in browsers; Secure cookies are sent on loopback, as Chromium does), manual redirects, and the sign-in form.
/// </summary>
public sealed partial class BrowserlessClient : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });

    public Dictionary<string, string> Cookies { get; } = new(StringComparer.Ordinal);

    public List<string> SetCookieHeaders { get; } = [];

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, HttpContent? content = null, bool antiCsrf = false)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        if (Cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}")));
        }

        if (antiCsrf)
        {
            request.Headers.Add("X-CSRF", "1");
        }

        var response = await _http.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var headers))
        {
            foreach (var header in headers)
            {
                SetCookieHeaders.Add(header);
                var pair = header.Split(';')[0];
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var (name, value) = (pair[..eq].Trim(), pair[(eq + 1)..].Trim());
                var expired = header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase) || header.Contains("max-age=0", StringComparison.OrdinalIgnoreCase);
                if (expired || value.Length == 0)
                {
                    Cookies.Remove(name);
                }
                else
                {
                    Cookies[name] = value;
                }
            }
        }

        return response;
    }

    public Task<HttpResponseMessage> GetAsync(string url, bool antiCsrf = false) => SendAsync(HttpMethod.Get, new Uri(url), antiCsrf: antiCsrf);

    /// <summary>Follows redirects from <paramref name="url"/> until a page answers (at most 10 hops).</summary>
    public async Task<(HttpResponseMessage Response, Uri Url)> FollowAsync(Uri url, HttpMethod? method = null, HttpContent? content = null)
    {
        var response = await SendAsync(method ?? HttpMethod.Get, url, content);
        for (var hop = 0; hop < 10 && (int)response.StatusCode is >= 300 and < 400; hop++)
        {
            url = new Uri(url, response.Headers.Location!);
            response.Dispose();
            response = await SendAsync(HttpMethod.Get, url);
        }

        return (response, url);
    }

    /// <summary>Signs in through the BFF: login, the token service's sign-in form, back to the callback and its page.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string bffAddress, string username, string password)
    {
        var (page, pageUrl) = await FollowAsync(new Uri(bffAddress + "/bff/login?returnUrl=/"));
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"sign-in page: {(int)page.StatusCode} {html}");
        var fields = HiddenInput().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["username"] = username;
        fields["password"] = password;
        var action = FormAction().Match(html) is { Success: true } a ? new Uri(pageUrl, WebUtility.HtmlDecode(a.Groups[1].Value)) : pageUrl;
        var (done, _) = await FollowAsync(action, HttpMethod.Post, new FormUrlEncodedContent(fields));
        return done;
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("<form[^>]*action=\"([^\"]*)\"")]
    private static partial Regex FormAction();
}
