using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Tessera.Cli;
using Tessera.Cli.CommandLine;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Tests.Support;

namespace Tessera.Tests.Cli;

/// <summary>
/// <c>tessera verify --signature-only</c> run in-process: exit 0 valid, 1 rejected, 2 the command itself is wrong;
/// <c>--json</c> prints <c>{"valid":false,"reason":"…","detail":"…"}</c>.
/// </summary>
public sealed class VerifyCommandTests : IDisposable
{
    private static readonly JsonWebKey Key = TestKeys.For(JwsAlgorithm.ES256, "cli");

    private readonly string _directory = Directory.CreateTempSubdirectory("tessera-cli-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Verify_ValidToken_ExitsZero()
    {
        var run = Run("verify", "--keys", PublicJwks(), "--signature-only", TestTokens.Sign(Key));

        AssertExit(0, run);
        Assert.Contains("valid", run.Out, StringComparison.Ordinal);
        Assert.Contains("cli", run.Out, StringComparison.Ordinal);
        Assert.Empty(run.Error);
    }

    [Fact]
    public void Verify_ValidTokenWithJson_ExitsZeroAndPrintsValidTrue()
    {
        var run = Run("verify", "--keys", PublicJwks(), "--signature-only", "--json", TestTokens.Sign(Key));

        AssertExit(0, run);
        using var output = JsonDocument.Parse(run.Out);
        Assert.True(output.RootElement.GetProperty("valid").GetBoolean());
    }

    [Fact]
    public void Verify_TokenOnStandardInput_IsRead()
    {
        var run = RunWithInput(TestTokens.Sign(Key) + "\n", "verify", "--keys", PublicJwks(), "--signature-only", "-");

        AssertExit(0, run);
    }

    // expected reason → how the token is spoiled.
    public static TheoryData<string, string> Rejections => new()
    {
        { "signature_invalid", "tampered" },
        { "unsupported_algorithm", "none" },
        { "forbidden_header", "jku" },
        { "key_not_found", "unknown-kid" },
        { "algorithm_not_allowed", "hs256-with-public-key" },
        { "malformed", "garbage" },
        { "too_large", "huge" },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Verify_RejectedToken_ExitsOneAndPrintsTheReasonCode(string reason, string scenario)
    {
        var run = Run("verify", "--keys", PublicJwks(), "--signature-only", Spoiled(scenario));

        AssertExit(1, run);
        Assert.StartsWith(reason + ":", run.Out, StringComparison.Ordinal);
        Assert.Empty(run.Error);
    }

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Verify_RejectedTokenWithJson_PrintsExactlyValidReasonAndDetail(string reason, string scenario)
    {
        var run = Run("verify", "--keys", PublicJwks(), "--signature-only", "--json", Spoiled(scenario));

        AssertExit(1, run);
        using var output = JsonDocument.Parse(run.Out);
        var root = output.RootElement;
        Assert.Equal(["valid", "reason", "detail"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.False, root.GetProperty("valid").ValueKind);
        Assert.Equal(reason, root.GetProperty("reason").GetString());
        Assert.True(FailureReasonCodes.TryParse(reason, out _));
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("detail").GetString()));
        // The detail is fixed text: nothing of the token is echoed back.
        Assert.DoesNotContain(TestTokens.Segments(TestTokens.Sign(Key))[1], run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("spki")]
    [InlineData("pkcs8")]
    [InlineData("jwk")]
    [InlineData("jwks")]
    public void Verify_KeyFileInEachSupportedFormat_ExitsZero(string format)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var key = JsonWebKey.FromPem(ecdsa.ExportPkcs8PrivateKeyPem());
        var path = format switch
        {
            "spki" => Write("key.pem", ecdsa.ExportSubjectPublicKeyInfoPem()),
            "pkcs8" => Write("key.pem", ecdsa.ExportPkcs8PrivateKeyPem()),
            "jwk" => Write("key.jwk", key.ToPublicJwk()),
            _ => Write("jwks.json", JsonWebKeySet.Create([key]).ToPublicJson()),
        };

        var run = Run("verify", "--keys", path, "--signature-only", TestTokens.Sign(key));

        AssertExit(0, run);
    }

    [Fact]
    public void Verify_TokenWhoseAlgNoKeyIsBoundTo_ExitsOneWithKeyNotFound()
    {
        var rsa = TestKeys.For(JwsAlgorithm.RS256);
        var jwks = Write("rsa.json", JsonWebKeySet.Create([rsa.ToPublicKey()]).ToPublicJson());

        var run = Run("verify", "--keys", jwks, "--alg", "PS256,RS256", "--signature-only", "--json", TestTokens.SignWithHeader(rsa, """{"alg":"PS256"}"""));

        AssertExit(1, run);
        Assert.Contains("\"reason\":\"key_not_found\"", run.Out, StringComparison.Ordinal);
    }

    // what the message must mention → the arguments (KEYS stands for a good key file, TOKEN for a valid token).
    public static TheoryData<string, string[]> UsageErrors => new()
    {
        { "unknown command", ["frobnicate"] },
        { "Missing TOKEN", ["verify", "--keys", "KEYS", "--signature-only"] },
        { "Expected one TOKEN", ["verify", "--keys", "KEYS", "--signature-only", "TOKEN", "TOKEN"] },
        { "--keys is required", ["verify", "--signature-only", "TOKEN"] },
        { "--keys needs a value", ["verify", "--signature-only", "TOKEN", "--keys"] },
        { "--keys may be given only once", ["verify", "--keys", "KEYS", "--keys", "KEYS", "--signature-only", "TOKEN"] },
        { "Unknown option '--insecure'", ["verify", "--keys", "KEYS", "--insecure", "--signature-only", "TOKEN"] },
        { "Unsupported --alg 'none'", ["verify", "--keys", "KEYS", "--alg", "none", "--signature-only", "TOKEN"] },
        { "Unsupported --alg 'hs256'", ["verify", "--keys", "KEYS", "--alg", "hs256", "--signature-only", "TOKEN"] },
        { "Cannot read key file", ["verify", "--keys", "MISSING", "--signature-only", "TOKEN"] },
        { "Cannot read key file", ["verify", "--keys", "DIRECTORY", "--signature-only", "TOKEN"] },
        { "Unusable key file", ["verify", "--keys", "GARBAGE", "--signature-only", "TOKEN"] },
        { "Unusable key file", ["verify", "--keys", "EMPTY", "--signature-only", "TOKEN"] },
        { "2048 bits or more", ["verify", "--keys", "WEAK-RSA", "--signature-only", "TOKEN"] },
        { "separate sets", ["verify", "--keys", "MIXED", "--signature-only", "TOKEN"] },
        { "repeats kid", ["verify", "--keys", "REPEATED-KID", "--signature-only", "TOKEN"] },
        { "Use a separate key for encryption", ["verify", "--keys", "ENC-KEY", "--signature-only", "TOKEN"] },
        { "decrypt it first", ["verify", "--keys", "ENCRYPTED-PEM", "--signature-only", "TOKEN"] },
        { "fits none of the allowed algorithms (RS256)", ["verify", "--keys", "EC-PEM", "--alg", "RS256", "--signature-only", "TOKEN"] },
        { "--max-length must be", ["verify", "--keys", "KEYS", "--max-length", "12", "--signature-only", "TOKEN"] },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public void Verify_CommandThatIsWrong_ExitsTwoWithAMessageSayingWhatToFix(string message, string[] args)
    {
        var run = Run([.. args.Select(Substitute)]);

        AssertExit(2, run);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("valid", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WithoutArguments_ExitsTwoAndPrintsTheCommandList()
    {
        var run = Run();

        AssertExit(2, run);
        Assert.Contains("verify", run.Out, StringComparison.Ordinal);
    }

    private string Substitute(string arg) => arg switch
    {
        "KEYS" => PublicJwks(),
        "TOKEN" => TestTokens.Sign(Key),
        "MISSING" => Path.Combine(_directory, "does-not-exist.json"),
        "DIRECTORY" => _directory,
        "GARBAGE" => Write("garbage.json", "this is not a key"),
        "EMPTY" => Write("empty.json", ""),
        "WEAK-RSA" => Write("weak.pem", WeakRsaPem()),
        "MIXED" => Write("mixed.json", $$"""{"keys":[{{Key.ToPublicJwk()}},{{TestKeys.For(JwsAlgorithm.HS256).ToPrivateJwkUnsafe()}}]}"""),
        "REPEATED-KID" => Write("repeated.json", $$"""{"keys":[{{Key.ToPublicJwk()}},{{Key.ToPublicJwk()}}]}"""),
        "ENC-KEY" => Write("enc.json", Key.ToPublicJwk().Replace("\"use\":\"sig\"", "\"use\":\"enc\"", StringComparison.Ordinal)),
        "ENCRYPTED-PEM" => Write("encrypted.pem", EncryptedPem()),
        "EC-PEM" => Write("ec.pem", EcPem()),
        _ => arg,
    };

    private string Spoiled(string scenario)
    {
        var token = TestTokens.Sign(Key);
        var parts = TestTokens.Segments(token);
        return scenario switch
        {
            "tampered" => $"{parts[0]}.{TestTokens.B64("""{"sub":"admin"}""")}.{parts[2]}",
            "none" => TestTokens.Unsigned("""{"alg":"none"}"""),
            "jku" => TestTokens.SignWithHeader(Key, """{"alg":"ES256","kid":"cli","jku":"https://attacker.example/jwks"}"""),
            "unknown-kid" => TestTokens.SignWithHeader(Key, """{"alg":"ES256","kid":"../../etc/passwd"}"""),
            "hs256-with-public-key" => TestTokens.HmacForge(System.Text.Encoding.UTF8.GetBytes(Key.ToPublicJwk()), """{"alg":"HS256","kid":"cli"}"""),
            "garbage" => "not-a-token",
            _ => TestTokens.Sign(Key, $$"""{"pad":"{{new string('x', 20_000)}}"}"""),
        };
    }

    private string PublicJwks() => Write("jwks.json", JsonWebKeySet.Create([Key.ToPublicKey()]).ToPublicJson());

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static string WeakRsaPem()
    {
        using var rsa = RSA.Create(1024);
        return rsa.ExportSubjectPublicKeyInfoPem();
    }

    private static string EcPem()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return ecdsa.ExportSubjectPublicKeyInfoPem();
    }

    private static string EncryptedPem()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return ecdsa.ExportEncryptedPkcs8PrivateKeyPem("secret", new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1000));
    }

    private static void AssertExit(int expected, CliRun run) =>
        Assert.True(run.ExitCode == expected, $"exit {run.ExitCode}, expected {expected}; out: {run.Out}; error: {run.Error}");

    private static CliRun Run(params string[] args) => RunWithInput("", args);

    private static CliRun RunWithInput(string standardInput, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_750_000_000));
        var exitCode = TesseraCli.Run(args, new CliConsole(new StringReader(standardInput), output, error, time));
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    private sealed record CliRun(int ExitCode, string Out, string Error);
}
