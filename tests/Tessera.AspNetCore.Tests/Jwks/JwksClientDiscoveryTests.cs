using System.Text.Json.Nodes;
using Tessera.AspNetCore.Jwks;

namespace Tessera.AspNetCore.Tests.Jwks;

public sealed class JwksClientDiscoveryTests : JwksClientTestBase
{
    private const string OpenIdPath = "/.well-known/openid-configuration";
    private const string OAuthPath = "/.well-known/oauth-authorization-server";

    private string Issuer => Server.BaseUri.ToString().TrimEnd('/');

    [Fact]
    public async Task GetKeysAsync_IssuerWithOpenIdConfiguration_FetchesTheDiscoveredJwksUri()
    {
        Server.ServeJson(Metadata(Issuer, Server.JwksUri.ToString()), path: OpenIdPath);
        Server.ServeJson(TestKeys.EcSet("k1"));
        var client = CreateClient(o => (o.JwksUri, o.Issuer) = (null, Issuer));

        var keys = await client.GetKeysAsync();

        Assert.NotNull(keys);
        Assert.True(keys.TryGet("k1", out _));
        Assert.Equal(1, Server.Requests(OpenIdPath));
        Assert.Equal(0, Server.Requests(OAuthPath));
        Assert.Equal(1, Server.Requests());
    }

    [Fact]
    public async Task GetKeysAsync_IssuerWithPathAndOnlyOAuthMetadata_FallsBackToRfc8414Location()
    {
        var issuer = Issuer + "/tenant";
        Server.ServeJson(Metadata(issuer, Server.JwksUri.ToString()), path: OAuthPath + "/tenant");
        Server.ServeJson(TestKeys.EcSet("k1"));
        var client = CreateClient(o => (o.JwksUri, o.Issuer) = (null, issuer));

        var keys = await client.GetKeysAsync();

        Assert.NotNull(keys);
        Assert.Equal(1, Server.Requests("/tenant" + OpenIdPath));
        Assert.Equal(1, Server.Requests(OAuthPath + "/tenant"));
    }

    [Fact]
    public async Task GetKeysAsync_ExplicitMetadataAddress_IsUsedInsteadOfWellKnown()
    {
        Server.ServeJson(Metadata(Issuer, Server.JwksUri.ToString()), path: "/custom/metadata");
        Server.ServeJson(TestKeys.EcSet("k1"));
        var client = CreateClient(o => (o.JwksUri, o.Issuer, o.MetadataAddress) = (null, Issuer, new Uri(Server.BaseUri, "/custom/metadata")));

        var keys = await client.GetKeysAsync();

        Assert.NotNull(keys);
        Assert.Equal(1, Server.Requests("/custom/metadata"));
        Assert.Equal(0, Server.Requests(OpenIdPath));
    }

    [Theory]
    [InlineData("/")]          // a trailing slash is a different issuer
    [InlineData("/other")]
    public async Task GetKeysAsync_DiscoveryDocumentNamesAnotherIssuer_RefusedBeforeFetchingKeys(string suffix)
    {
        Server.ServeJson(Metadata(Issuer + suffix, Server.JwksUri.ToString()), path: OpenIdPath);
        Server.ServeJson(TestKeys.EcSet("k1"));
        var client = CreateClient(o => (o.JwksUri, o.Issuer) = (null, Issuer));

        var keys = await client.GetKeysAsync();

        Assert.Null(keys);
        Assert.Equal(["wrong_issuer"], FailureTypes());
        Assert.Equal(0, Server.Requests());
        Assert.Contains("trailing slash", Assert.Single(LogsWithId(4104)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetKeysAsync_DiscoveredJwksUriIsPlainHttpOnAnotherHost_Refused()
    {
        Server.ServeJson(Metadata(Issuer, "http://keys.example.com/jwks"), path: OpenIdPath);
        var client = CreateClient(o => (o.JwksUri, o.Issuer) = (null, Issuer));

        var keys = await client.GetKeysAsync();

        Assert.Null(keys);
        Assert.Equal(["insecure_uri"], FailureTypes());
    }

    [Theory]
    [InlineData("{\"issuer\":\"ISSUER\"}")]
    [InlineData("{\"issuer\":\"ISSUER\",\"jwks_uri\":\"/relative\"}")]
    [InlineData("{\"issuer\":\"ISSUER\",\"jwks_uri\":\"file:///etc/passwd\"}")]
    [InlineData("[\"ISSUER\"]")]
    public async Task GetKeysAsync_DiscoveryDocumentWithoutUsableJwksUri_Refused(string document)
    {
        Server.ServeJson(document.Replace("ISSUER", Issuer, StringComparison.Ordinal), path: OpenIdPath);
        var client = CreateClient(o => (o.JwksUri, o.Issuer) = (null, Issuer));

        var keys = await client.GetKeysAsync();

        Assert.Null(keys);
        Assert.Equal(["malformed"], FailureTypes());
    }

    [Fact]
    public async Task GetKeysAsync_NoDiscoveryDocumentAnywhere_CountsHttpStatus()
    {
        var client = CreateClient(o => (o.JwksUri, o.Issuer) = (null, Issuer));

        var keys = await client.GetKeysAsync();

        Assert.Null(keys);
        Assert.Equal(["http_status"], FailureTypes());
        Assert.Equal(1, Server.Requests(OpenIdPath));
        Assert.Equal(1, Server.Requests(OAuthPath));
    }

    [Theory]
    [InlineData("https://id.example.com", "https://id.example.com/.well-known/openid-configuration", "https://id.example.com/.well-known/oauth-authorization-server")]
    [InlineData("https://id.example.com/", "https://id.example.com/.well-known/openid-configuration", "https://id.example.com/.well-known/oauth-authorization-server")]
    [InlineData("https://id.example.com/t/1", "https://id.example.com/t/1/.well-known/openid-configuration", "https://id.example.com/.well-known/oauth-authorization-server/t/1")]
    [InlineData("https://id.example.com:8443/t/", "https://id.example.com:8443/t/.well-known/openid-configuration", "https://id.example.com:8443/.well-known/oauth-authorization-server/t")]
    public void WellKnownAddresses_Issuer_OpenIdThenRfc8414(string issuer, string openId, string oauth)
    {
        var addresses = JwksFetcher.WellKnownAddresses(issuer);

        Assert.Equal([openId, oauth], addresses.Select(a => a.ToString()));
    }

    private static string Metadata(string issuer, string jwksUri) =>
        new JsonObject { ["issuer"] = issuer, ["jwks_uri"] = jwksUri, ["token_endpoint"] = issuer + "/token" }.ToJsonString();
}
