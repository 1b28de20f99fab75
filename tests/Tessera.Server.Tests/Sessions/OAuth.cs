using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Tessera.Jose;

namespace Tessera.Server.Tests.Sessions;

/// <summary>What a client sends: PKCE pairs, authorization URLs, code and refresh requests.</summary>
internal static class OAuth
{
    public static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64Url.Encode(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    /// <summary>An authorization request; <paramref name="overrides"/> replace or (with a null value) remove parameters.</summary>
    public static string AuthorizeUrl(TestClient client, string challenge, string? state = "st-1", string? nonce = "n-1", params (string Name, string? Value)[] overrides)
    {
        var parameters = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["response_type"] = "code",
            ["client_id"] = client.Id,
            ["redirect_uri"] = client.RedirectUri,
            ["scope"] = "openid " + SessionServer.Scope,
            ["state"] = state,
            ["nonce"] = nonce,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        };
        foreach (var (name, value) in overrides)
        {
            parameters[name] = value;
        }

        return QueryHelpers.AddQueryString("/connect/authorize", parameters.Where(p => p.Value is not null));
    }

    public static Dictionary<string, string> QueryOf(Uri redirect) =>
        QueryHelpers.ParseQuery(redirect.Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    public static Task<(int Status, JsonElement Body)> ExchangeAsync(SessionServer server, TestClient client, string code, string? verifier, string? redirectUri = "")
    {
        var fields = new List<(string, string)> { ("grant_type", "authorization_code"), ("code", code) };
        if (redirectUri is not null)
        {
            fields.Add(("redirect_uri", redirectUri.Length == 0 ? client.RedirectUri : redirectUri));
        }

        if (verifier is not null)
        {
            fields.Add(("code_verifier", verifier));
        }

        return PostAsync(server, client, fields);
    }

    public static Task<(int Status, JsonElement Body)> RefreshAsync(SessionServer server, TestClient client, string refreshToken) =>
        PostAsync(server, client, [("grant_type", "refresh_token"), ("refresh_token", refreshToken)]);

    /// <summary>Signs <paramref name="user"/> in through <paramref name="browser"/> and redeems the code: the token response.</summary>
    public static async Task<JsonElement> SignInAndRedeemAsync(SessionServer server, Browser browser, TestClient client, TestUser user, string nonce = "n-1")
    {
        var (verifier, challenge) = Pkce();
        var redirect = await browser.AuthorizeAsync(AuthorizeUrl(client, challenge, nonce: nonce), user);
        var (status, body) = await ExchangeAsync(server, client, QueryOf(redirect)["code"], verifier);
        Assert.Equal(200, status);
        return body;
    }

    private static Task<(int Status, JsonElement Body)> PostAsync(SessionServer server, TestClient client, List<(string Name, string Value)> fields)
    {
        if (client.Secret is null)
        {
            fields.Add(("client_id", client.Id));
        }

        return server.Server.PostFormAsync("/connect/token", client.Id, client.Secret, [.. fields]);
    }
}
