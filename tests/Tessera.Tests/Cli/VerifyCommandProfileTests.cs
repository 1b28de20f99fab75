using System.Text.Json;
using Tessera.Cli;
using Tessera.Cli.CommandLine;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Tests.Tokens;

namespace Tessera.Tests.Cli;

public sealed class VerifyCommandProfileTests : IDisposable
{
    private readonly TokenFixture _f = new();
    private readonly string _keys = Path.Combine(Path.GetTempPath(), $"tessera-verify-{Guid.NewGuid():N}.json");

    public VerifyCommandProfileTests() => File.WriteAllText(_keys, _f.Keys.ToPublicJson());

    public void Dispose() => File.Delete(_keys);

    private (int Exit, string Out, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = TesseraCli.Run(args, new CliConsole(new StringReader(""), output, error, _f.Time));
        return (exit, output.ToString(), error.ToString());
    }

    private string Now => _f.Now.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Verify_ValidAccessTokenWithProfile_ExitZero()
    {
        var token = _f.Sign(_f.AccessClaims());
        var (exit, output, _) = Run("verify", "--keys", _keys, "--profile", "access", "--iss", TokenFixture.Issuer, "--aud", TokenFixture.Api, "--now", Now, "--json", token);
        Assert.Equal(0, exit);
        Assert.True(JsonDocument.Parse(output).RootElement.GetProperty("valid").GetBoolean());
    }

    [Theory]
    [InlineData("id", "wrong_type")]
    [InlineData("service", "wrong_type")]
    public void Verify_AccessTokenAsOtherProfile_Rejected(string profile, string reason)
    {
        var token = _f.Sign(_f.AccessClaims());
        var (exit, output, _) = Run("verify", "--keys", _keys, "--profile", profile, "--now", Now, "--json", token);
        Assert.Equal(1, exit);
        Assert.Equal(reason, JsonDocument.Parse(output).RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public void Verify_WrongAudienceAndExpiry_ReasonCodes()
    {
        var token = _f.Sign(_f.AccessClaims());
        var wrongAud = Run("verify", "--keys", _keys, "--aud", "api://other", "--now", Now, token);
        Assert.Equal((1, "wrong_audience"), (wrongAud.Exit, wrongAud.Out.Split(':')[0]));
        var later = (_f.Now + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var expired = Run("verify", "--keys", _keys, "--now", later, "--json", token);
        Assert.Equal(1, expired.Exit);
        var json = JsonDocument.Parse(expired.Out).RootElement;
        Assert.Equal("expired", json.GetProperty("reason").GetString());
        Assert.Equal("exp", json.GetProperty("claim").GetString());
    }

    [Fact]
    public void Verify_GenericModeWithoutExp_MissingClaim()
    {
        var token = _f.Sign("{\"sub\":\"x\"}", typ: null);
        var (exit, output, _) = Run("verify", "--keys", _keys, "--json", token);
        Assert.Equal(1, exit);
        Assert.Equal("missing_claim", JsonDocument.Parse(output).RootElement.GetProperty("reason").GetString());
        Assert.Equal(0, Run("verify", "--keys", _keys, "--signature-only", token).Exit);
    }

    [Fact]
    public void Verify_TypOption_ComparedAsMediaType()
    {
        var token = _f.Sign("{\"exp\":" + (_f.Now + 60) + "}", typ: "application/secevent+jwt");
        Assert.Equal(0, Run("verify", "--keys", _keys, "--typ", "secevent+jwt", "--now", Now, token).Exit);
        Assert.Equal(1, Run("verify", "--keys", _keys, "--typ", "at+jwt", "--now", Now, token).Exit);
    }

    [Theory]
    [InlineData("--profile", "refresh")]
    [InlineData("--now", "yesterday")]
    [InlineData("--alg", "none")]
    public void Verify_BadArguments_ExitTwo(string option, string value)
    {
        var token = _f.Sign(_f.AccessClaims());
        var (exit, _, error) = Run("verify", "--keys", _keys, option, value, token);
        Assert.Equal(2, exit);
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Verify_RfcVectorsInClaimMode_AsStated()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Tessera.slnx")))
        {
            root = Path.GetDirectoryName(root)!;
        }

        using var vectors = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "tests", "vectors", "rfc-examples.json")));
        var checkedCount = 0;
        foreach (var v in vectors.RootElement.GetProperty("vectors").EnumerateArray())
        {
            if (!v.GetProperty("payload_is_jwt").GetBoolean())
            {
                continue;
            }

            var keyFile = Path.Combine(Path.GetTempPath(), $"tessera-vector-{Guid.NewGuid():N}.json");
            File.WriteAllText(keyFile, v.GetProperty("jwks").GetRawText());
            try
            {
                var args = new List<string> { "verify", "--keys", keyFile, "--json" };
                if (v.TryGetProperty("now", out var now))
                {
                    args.AddRange(["--now", now.GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                }

                var alg = v.GetProperty("alg").GetString();
                if (alg is not null && alg != "none")
                {
                    args.AddRange(["--alg", alg]);
                }

                args.Add(v.GetProperty("token").GetString()!);
                var (exit, _, _) = Run([.. args]);
                Assert.Equal(v.GetProperty("expected").GetString() == "accept" ? 0 : 1, exit);
                checkedCount++;
            }
            finally
            {
                File.Delete(keyFile);
            }
        }

        Assert.True(checkedCount >= 4);
    }
}
