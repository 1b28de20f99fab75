using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Tessera.Cli;
using Tessera.Cli.CommandLine;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Keys.Ring;
using Tessera.Storage.Sqlite.Keys;

namespace Tessera.Storage.Sqlite.Tests.Keys;

public sealed class KeysCommandTests : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly string _kekFile;

    public KeysCommandTests()
    {
        _kekFile = Path.Combine(_temp.Directory, "kek");
        File.WriteAllText(_kekFile, KeyEncryptionKey.Generate().Base64 + "\n");
    }

    public void Dispose() => _temp.Dispose();

    private (int Exit, string Out, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = TesseraCli.Run(["keys", .. args], new CliConsole(TextReader.Null, output, error, _time));
        return (exit, output.ToString(), error.ToString());
    }

    private (int Exit, string Out, string Error) RunWithKek(string command, params string[] args) =>
        Run([command, "--db", _temp.Path, "--kek-file", _kekFile, .. args]);

    private static JsonElement[] Keys(string json) =>
        [.. JsonDocument.Parse(json).RootElement.GetProperty("keys").EnumerateArray().Select(e => e.Clone())];

    private static string State(JsonElement key) => key.GetProperty("state").GetString()!;

    [Fact]
    public void Generate_NewDatabase_OneActiveES256KeyNoPrivateMembersPrinted()
    {
        var (exit, output, _) = RunWithKek("generate", "--json");

        Assert.Equal(0, exit);
        var key = Assert.Single(Keys(output));
        Assert.Equal("ES256", key.GetProperty("alg").GetString());
        Assert.Equal("active", State(key));
        Assert.Equal(1, key.GetProperty("generation").GetInt32());
        Assert.DoesNotContain("\"d\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_Again_ChangesNothing()
    {
        RunWithKek("generate");
        var (exit, output, _) = RunWithKek("generate", "--json");
        Assert.Equal(0, exit);
        Assert.Single(Keys(output));
        Assert.Empty(JsonDocument.Parse(output).RootElement.GetProperty("notes").EnumerateArray());
    }

    [Fact]
    public void Generate_AlgorithmAddedToRunningRing_PendingUntilPublishAhead()
    {
        RunWithKek("generate");
        _time.Advance(TimeSpan.FromDays(1));
        var (exit, output, _) = RunWithKek("generate", "--alg", "EdDSA", "--json");

        Assert.Equal(0, exit);
        var keys = Keys(output);
        Assert.Equal("active", State(keys.Single(k => k.GetProperty("alg").GetString() == "ES256")));
        Assert.Equal("pending", State(keys.Single(k => k.GetProperty("alg").GetString() == "EdDSA")));
    }

    [Fact]
    public void List_WithoutKek_ShowsTheTable()
    {
        RunWithKek("generate");
        var (exit, output, _) = Run("list", "--db", _temp.Path);
        Assert.Equal(0, exit);
        Assert.Contains("STATE", output, StringComparison.Ordinal);
        Assert.Contains("active", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Rotate_PublishesAKeyThatSignsAfterPublishAhead()
    {
        RunWithKek("generate");
        var (exit, output, _) = RunWithKek("rotate", "--jwks-max-age", "10m", "--clock-skew", "2m");

        Assert.Equal(0, exit);
        Assert.Contains($"it signs from {KeysCommandTime(_time.GetUtcNow() + TimeSpan.FromMinutes(12))}", output, StringComparison.Ordinal);
        var (_, again, _) = RunWithKek("rotate");
        Assert.Contains("already under way", again, StringComparison.Ordinal);
        var (_, list, _) = Run("list", "--db", _temp.Path, "--json");
        Assert.Equal(["active", "pending"], Keys(list).Select(State).Order());
    }

    [Fact]
    public async Task Remove_ActiveKey_NewKeySignsAndExportedJwksRejectsOldTokens()
    {
        RunWithKek("generate");
        var store = new SqliteKeyStore(SqliteDatabase.Open(_temp.Path), KeyEncryptionKey.Parse(File.ReadAllText(_kekFile)));
        var compromised = (await store.LoadAsync()).Keys.Single().Key;
        var token = JwsWriter.Sign(compromised, """{"sub":"s"}"""u8, "JWT");

        var (exit, output, _) = RunWithKek("remove", compromised.Kid);

        Assert.Equal(0, exit);
        Assert.Contains($"removed {compromised.Kid}", output, StringComparison.Ordinal);
        Assert.Contains("ES256 now signs with", output, StringComparison.Ordinal);
        var jwksFile = Path.Combine(_temp.Directory, "jwks.json");
        Assert.Equal(0, Run("export-jwks", "--db", _temp.Path, "--out", jwksFile).Exit);
        var published = JsonWebKeySet.Parse(File.ReadAllText(jwksFile));
        Assert.False(published.TryGet(compromised.Kid, out _));
        Assert.Equal(FailureReason.KeyNotFound, new JwsVerifier(published).Verify(token).Failure);
    }

    [Fact]
    public void ExportJwks_ToStandardOutput_PublicMembersOnly()
    {
        RunWithKek("generate", "--alg", "ES256,RS256");
        var (exit, output, _) = Run("export-jwks", "--db", _temp.Path);

        Assert.Equal(0, exit);
        var keys = Keys(output);
        Assert.Equal(2, keys.Length);
        Assert.All(keys, k => Assert.Equal("sig", k.GetProperty("use").GetString()));
        Assert.All(keys, k => Assert.False(k.TryGetProperty("d", out _)));
    }

    [Fact]
    public void Generate_KekFromEnvironment_Works_AndWithoutKekExitsTwoWithTheFix()
    {
        var previous = Environment.GetEnvironmentVariable(KeyEncryptionOptions.DefaultEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(KeyEncryptionOptions.DefaultEnvironmentVariable, null);
            var (exit, _, error) = Run("generate", "--db", _temp.Path);
            Assert.Equal(2, exit);
            Assert.Contains("openssl rand -base64 32", error, StringComparison.Ordinal);

            Environment.SetEnvironmentVariable(KeyEncryptionOptions.DefaultEnvironmentVariable, File.ReadAllText(_kekFile));
            Assert.Equal(0, Run("generate", "--db", _temp.Path).Exit);
            Assert.Equal(0, Run("rotate", "--db", _temp.Path).Exit);
        }
        finally
        {
            Environment.SetEnvironmentVariable(KeyEncryptionOptions.DefaultEnvironmentVariable, previous);
        }
    }

    [Theory]
    [InlineData("Missing subcommand")]
    [InlineData("unknown subcommand", "frobnicate")]
    [InlineData("--db is required", "list")]
    [InlineData("does not exist", "list", "--db", "{dir}/missing.db")]
    [InlineData("Configure the KEK the keys were sealed with", "rotate", "--db", "{db}", "--kek-file", "{otherkek}")]
    [InlineData("has no key 'nope'", "remove", "--db", "{db}", "--kek-file", "{kek}", "nope")]
    [InlineData("--rotation-period must be a whole number", "rotate", "--db", "{db}", "--kek-file", "{kek}", "--rotation-period", "soon")]
    [InlineData("no EdDSA key to rotate", "rotate", "--db", "{db}", "--kek-file", "{kek}", "--alg", "EdDSA")]
    [InlineData("Key rotation policy: RotationPeriod", "rotate", "--db", "{db}", "--kek-file", "{kek}", "--rotation-period", "30m")]
    [InlineData("Unsupported algorithm", "generate", "--db", "{db}", "--kek-file", "{kek}", "--alg", "none")]
    public void WrongCommand_ExitTwoWithWhatToFix(string expected, params string[] args)
    {
        RunWithKek("generate");
        var otherKek = Path.Combine(_temp.Directory, "other-kek");
        File.WriteAllText(otherKek, KeyEncryptionKey.Generate().Base64);
        var resolved = args.Select(a => a.Replace("{db}", _temp.Path, StringComparison.Ordinal)
            .Replace("{dir}", _temp.Directory, StringComparison.Ordinal)
            .Replace("{otherkek}", otherKek, StringComparison.Ordinal)
            .Replace("{kek}", _kekFile, StringComparison.Ordinal)).ToArray();

        var (exit, _, error) = Run(resolved);

        Assert.Equal(2, exit);
        Assert.Contains(expected, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Help_NamesEverySubcommand()
    {
        var (exit, output, _) = Run("--help");
        Assert.Equal(0, exit);
        foreach (var sub in new[] { "generate", "list", "rotate", "remove", "export-jwks", "TESSERA_KEK" })
        {
            Assert.Contains(sub, output, StringComparison.Ordinal);
        }
    }

    private static string KeysCommandTime(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
