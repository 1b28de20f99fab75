using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore.Bff;

namespace Tessera.Browser.Tests.Bff;

public sealed class BffRoutingTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/orders?x=1", "/orders?x=1")]
    [InlineData("//evil.example", null)]
    [InlineData("/\\evil.example", null)]
    [InlineData("https://evil.example/", null)]
    [InlineData("evil", null)]
    [InlineData("/a\r\nSet-Cookie: x=1", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void LocalUrl_OnlyPathsOnThisSite(string? input, string? expected) =>
        Assert.Equal(expected, BffLoginEndpoints.LocalUrl(input));

    [Theory]
    [InlineData("https://api.example.com", "orders", "", "https://api.example.com/orders")]
    [InlineData("https://api.example.com/v1/", "orders/7", "?page=2", "https://api.example.com/v1/orders/7?page=2")]
    [InlineData("https://api.example.com/v1", "a b", "", "https://api.example.com/v1/a%20b")]
    [InlineData("https://api.example.com/v1", "a%2F..", "", "https://api.example.com/v1/a%252F..")]
    public void Target_StaysUnderTheApiBase(string apiBase, string path, string query, string expected) =>
        Assert.Equal(expected, BffApiForwarder.Target(new Uri(apiBase), path, new QueryString(query.Length == 0 ? null : query))!.AbsoluteUri);

    [Theory]
    [InlineData("..")]
    [InlineData("../admin")]
    [InlineData("orders/../../admin")]
    [InlineData("./orders")]
    public void Target_DotSegments_AreRefused(string path) =>
        Assert.Null(BffApiForwarder.Target(new Uri("https://api.example.com/v1/"), path, QueryString.Empty));
}
