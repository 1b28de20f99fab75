using System.Text;
using Microsoft.AspNetCore.Http;
using Tessera.Jose;

namespace Tessera.AspNetCore.Tests.Jwks;

/// <summary>Hostile or broken responses: each is refused with its own error.type, and the last known good set stays.</summary>
public sealed class JwksClientResponseTests : JwksClientTestBase
{
    private const int TenMegabytes = 10 * 1024 * 1024;

    public static TheoryData<string, string> RefusedBodies => new()
    {
        { "malformed", "{\"keys\":[" },
        { "malformed", "not json at all" },
        { "malformed", "[]" },
        { "malformed", "{\"keys\":{}}" },
        { "malformed", "{\"keys\":[],\"keys\":[]}" },
        { "malformed", "{\"keys\":[42]}" },
        { "malformed", "{\"keys\":[{\"kid\":\"x\"}]}" },
        { "no_usable_key", "{\"keys\":[]}" },
        { "private_key", TestKeys.Set(TestKeys.Ec("k1").ToPublicJwk(), TestKeys.Ec("k2").ToPrivateJwkUnsafe()) },
        { "symmetric_key", TestKeys.Set(TestKeys.Ec("k1").ToPublicJwk(), TestKeys.SymmetricJwk("s1")) },
        { "duplicate_kid", TestKeys.Set(TestKeys.Ec("k1").ToPublicJwk(), TestKeys.Ec("k1").ToPublicJwk()) },
        { "key_rejected", TestKeys.Set(TestKeys.Ec("k1").ToPublicJwk(), TestKeys.WeakRsaJwk("weak")) },
        { "key_rejected", TestKeys.Set(TestKeys.With(TestKeys.Ec("k1").ToPublicJwk(), "x", "AAAA")) },
        { "no_usable_key", TestKeys.Set(JsonWebKeyEs384()) },
        { "too_large", TestKeys.Set([.. Enumerable.Range(0, 101).Select(i => "{\"kty\":\"EC\",\"kid\":\"" + i + "\"}")]) },
    };

    [Theory]
    [MemberData(nameof(RefusedBodies))]
    public async Task GetKeysAsync_RefusedResponse_ReportsReasonAndKeepsLastKnownGood(string expectedErrorType, string body)
    {
        Server.ServeJson(TestKeys.EcSet("good"), "max-age=60");
        var client = CreateClient(o => o.AllowedAlgorithms = [JwsAlgorithm.ES256, JwsAlgorithm.RS256]);
        var good = await client.GetKeysAsync();
        Server.ServeJson(body, "max-age=60");

        Time.Advance(TimeSpan.FromSeconds(61));
        var keys = await client.GetKeysAsync();

        Assert.Same(good, keys);
        Assert.Equal([expectedErrorType], FailureTypes());
        var logged = AllLogText();
        Assert.Contains($"({expectedErrorType})", logged, StringComparison.Ordinal);
        Assert.NotEmpty(LogsWithId(4105));
    }

    [Fact]
    public async Task GetKeysAsync_SetWithPrivateKey_RefusedWithoutLoggingKeyMaterial()
    {
        var leaked = TestKeys.Ec("leaked").ToPrivateJwkUnsafe();
        var rsaLeaked = TestKeys.Rsa.ToPrivateJwkUnsafe();
        Server.ServeJson(TestKeys.Set(TestKeys.Ec("k1").ToPublicJwk(), leaked, rsaLeaked));
        var client = CreateClient();

        var keys = await client.GetKeysAsync();

        Assert.Null(keys);
        Assert.Equal(["private_key"], FailureTypes());
        var refused = Assert.Single(LogsWithId(4104));
        Assert.Contains("leaked", refused.Message, StringComparison.Ordinal);
        Assert.Contains("compromised", refused.Message, StringComparison.Ordinal);
        var logged = AllLogText();
        foreach (var member in new[] { "d", "x", "y" })
        {
            Assert.DoesNotContain(TestKeys.Member(leaked, member), logged, StringComparison.Ordinal);
        }

        foreach (var member in new[] { "d", "p", "q", "dp", "dq", "qi", "n" })
        {
            Assert.DoesNotContain(TestKeys.Member(rsaLeaked, member)[..16], logged, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GetKeysAsync_TenMegabyteBodyWithContentLength_RefusedWithoutReadingIt()
    {
        Server.Route(JwksTestServer.JwksPath, async context =>
        {
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = TenMegabytes;
            await context.Response.Body.WriteAsync(new byte[64 * 1024], context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);

            // The rest never comes: a client that tried to read it all would hang here.
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        var client = CreateClient();

        var keys = await client.GetKeysAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Null(keys);
        Assert.Equal(["too_large"], FailureTypes());
        Assert.Contains("10485760 bytes", AllLogText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetKeysAsync_TenMegabyteChunkedBody_StopsReadingAtTheLimit()
    {
        var written = 0;
        Server.Route(JwksTestServer.JwksPath, async context =>
        {
            context.Response.ContentType = "application/json";
            var chunk = Encoding.ASCII.GetBytes(new string(' ', 16 * 1024));
            await context.Response.WriteAsync("{\"keys\":[", context.RequestAborted);
            for (var i = 0; i < 8; i++)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                written += chunk.Length;
            }

            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(Timeout.Infinite, context.RequestAborted);

            // Never reached: the other 9.9 MB would follow here.
            await context.Response.Body.WriteAsync(new byte[TenMegabytes - written], context.RequestAborted);
        });
        var client = CreateClient();

        var keys = await client.GetKeysAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Null(keys);
        Assert.Equal(["too_large"], FailureTypes());
        Assert.True(written < TenMegabytes);
    }

    [Fact]
    public async Task GetKeysAsync_BodyJustUnderTheLimit_IsAccepted()
    {
        var set = TestKeys.EcSet("k1");
        var padded = set[..^1] + new string(' ', 2048 - set.Length) + "}";
        Server.ServeJson(padded);
        var client = CreateClient(o => o.MaxResponseBytes = 2048);

        var keys = await client.GetKeysAsync();

        Assert.NotNull(keys);
        Assert.Equal(2048, Encoding.UTF8.GetByteCount(padded));
    }

    [Fact]
    public async Task GetKeysAsync_KeysWithoutAlg_BoundOnlyWhenExactlyOneAllowedAlgorithmFits()
    {
        var ec = TestKeys.Without(TestKeys.Ec("ec").ToPublicJwk(), "alg");
        var rsa = TestKeys.Without(TestKeys.Rsa.ToPublicJwk(), "alg");
        Server.ServeJson(TestKeys.Set(ec, rsa));
        var client = CreateClient(o => o.AllowedAlgorithms = [JwsAlgorithm.ES256, JwsAlgorithm.RS256, JwsAlgorithm.PS256]);

        var keys = await client.GetKeysAsync();

        Assert.NotNull(keys);
        Assert.True(keys.TryGet("ec", out var ecKey));
        Assert.Same(JwsAlgorithm.ES256, ecKey.Algorithm);
        Assert.False(keys.TryGet("rsa-1", out _));
        var skipped = Assert.Single(LogsWithId(4102));
        Assert.Contains("rsa-1", skipped.Message, StringComparison.Ordinal);
        Assert.Contains("several allowed algorithms (RS256, PS256)", skipped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetKeysAsync_RsaKeyWithoutAlgAndOneRsaAlgorithmAllowed_IsBound()
    {
        Server.ServeJson(TestKeys.Set(TestKeys.Without(TestKeys.Rsa.ToPublicJwk(), "alg")));
        var client = CreateClient(o => o.AllowedAlgorithms = [JwsAlgorithm.PS256]);

        var keys = await client.GetKeysAsync();

        Assert.NotNull(keys);
        Assert.True(keys.TryGet("rsa-1", out var key));
        Assert.Same(JwsAlgorithm.PS256, key.Algorithm);
    }

    [Theory]
    [InlineData("alg", "ES384", "alg ES384 is not in AllowedAlgorithms")]
    [InlineData("alg", "RSA-OAEP", "alg 'RSA-OAEP' is not a supported signature algorithm")]
    [InlineData("alg", "none", "alg 'none' is not a supported signature algorithm")]
    [InlineData("use", "enc", "use is 'enc'")]
    public async Task GetKeysAsync_KeyTheValidatorCannotUse_IsLeftOutAndLogged(string member, string value, string reason)
    {
        var other = TestKeys.With(TestKeys.Ec("other").ToPublicJwk(), member, value);
        Server.ServeJson(TestKeys.Set(TestKeys.Ec("k1").ToPublicJwk(), other));
        var client = CreateClient();

        var keys = await client.GetKeysAsync();

        Assert.NotNull(keys);
        Assert.True(keys.TryGet("k1", out _));
        Assert.False(keys.TryGet("other", out _));
        var skipped = Assert.Single(LogsWithId(4102));
        Assert.Contains(reason, skipped.Message, StringComparison.Ordinal);
        Assert.Empty(FailureTypes());
    }

    [Fact]
    public async Task GetKeysAsync_ServerAnswers404_CountsHttpStatus()
    {
        Server.Route(JwksTestServer.JwksPath, context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        var client = CreateClient();

        var keys = await client.GetKeysAsync();

        Assert.Null(keys);
        Assert.Equal(["http_status"], FailureTypes());
    }

    [Fact]
    public async Task GetKeysAsync_ServerClosesConnection_CountsNetworkError()
    {
        Server.Route(JwksTestServer.JwksPath, context =>
        {
            context.Abort();
            return Task.CompletedTask;
        });
        var client = CreateClient();

        var keys = await client.GetKeysAsync();

        Assert.Null(keys);
        Assert.Equal(["network_error"], FailureTypes());
    }

    private static string JsonWebKeyEs384() => Tessera.Keys.JsonWebKey.Generate(JwsAlgorithm.ES384, "p384").ToPublicJwk();
}
