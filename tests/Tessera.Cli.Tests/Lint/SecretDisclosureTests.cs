using Tessera.Cli.Tests.Support;

namespace Tessera.Cli.Tests.Lint;

/// <summary>A cracked HMAC secret appears in no output format unless --show-secret asks for it.</summary>
public sealed class SecretDisclosureTests
{
    public static TheoryData<string, string, string?> Cases
    {
        get
        {
            var data = new TheoryData<string, string, string?>();
            foreach (var (token, secret) in new[] { ("weak-secret-bundled", Corpus.BundledSecret), ("weak-secret-wordlist", Corpus.WordlistSecret) })
            {
                foreach (var format in new string?[] { null, "--json", "--sarif" })
                {
                    data.Add(token, secret, format);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Lint_CrackedSecret_IsNeverPrintedWithoutShowSecret(string token, string secret, string? format)
    {
        var result = GoldenOutputTests.Lint(token, format is null ? ["--no-color"] : [format]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("JWT003", result.Out, StringComparison.Ordinal);
        Assert.Contains("bytes", result.Out, StringComparison.Ordinal); // the strength is reported instead
        Assert.DoesNotContain(secret, result.All, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(secret)), result.All, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Lint_CrackedSecret_IsPrintedWithShowSecret(string token, string secret, string? format)
    {
        var result = GoldenOutputTests.Lint(token, format is null ? ["--show-secret"] : [format, "--show-secret"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(secret, result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HS256", "")]
    [InlineData("HS384", "your-384-bit-secret")]
    [InlineData("HS512", "your-512-bit-secret")]
    public void Lint_EveryHmacAlgorithm_IsTriedAgainstTheBundledList(string alg, string secret)
    {
        var input = $"{TokenBuilder.Segment($$"""{"alg":"{{alg}}","typ":"at+jwt","kid":"k"}""")}.{TokenBuilder.Segment(TokenBuilder.Json(Corpus.AccessClaims()))}";
        var data = System.Text.Encoding.ASCII.GetBytes(input);
        var key = System.Text.Encoding.UTF8.GetBytes(secret);
        var mac = alg switch
        {
            "HS256" => System.Security.Cryptography.HMACSHA256.HashData(key, data),
            "HS384" => System.Security.Cryptography.HMACSHA384.HashData(key, data),
            _ => System.Security.Cryptography.HMACSHA512.HashData(key, data),
        };

        var result = CliRunner.Run("lint", "--as", "access", "--json", $"{input}.{Tessera.Jose.Base64Url.Encode(mac)}");

        Assert.Contains("\"JWT003\"", result.Out, StringComparison.Ordinal);
        Assert.Contains(secret.Length == 0 ? "empty secret" : "bundled list", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_WordlistSecret_IsNotFoundWithoutTheWordlist()
    {
        var result = CliRunner.Run("lint", "--json", Corpus.Tokens["weak-secret-wordlist"].Token);

        Assert.DoesNotContain("JWT003", result.Out, StringComparison.Ordinal);
        Assert.Contains("--wordlist", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_SecretLookingClaims_AreHiddenUnlessAsked()
    {
        const string value = "s3cr3t-value-of-the-client";
        var token = Corpus.Tokens["personal-data"].Token;

        Assert.DoesNotContain(value, CliRunner.Run("inspect", token).All, StringComparison.Ordinal);
        Assert.DoesNotContain(value, CliRunner.Run("inspect", "--json", token).All, StringComparison.Ordinal);
        Assert.DoesNotContain(value, CliRunner.Run("lint", "--json", token).All, StringComparison.Ordinal);
        Assert.Contains(value, CliRunner.Run("inspect", "--show-secret", token).Out, StringComparison.Ordinal);
    }
}
