using Tessera.Storage.Sqlite.Keys;

namespace Tessera.Storage.Sqlite.Tests.Keys;

public sealed class KeyEncryptionOptionsTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Func<string, string?> Environment(string? kek) => name => name == "TESSERA_KEK" ? kek : null;

    [Fact]
    public void Validate_NothingConfigured_SaysHowToConfigureIt()
    {
        var problem = new KeyEncryptionOptions().Validate(Environment(null));

        Assert.NotNull(problem);
        Assert.Contains("TESSERA_KEK", problem, StringComparison.Ordinal);
        Assert.Contains("openssl rand -base64 32", problem, StringComparison.Ordinal);
        Assert.Contains("AllowUnsafeDevelopmentKey", problem, StringComparison.Ordinal);
        var e = Assert.Throws<InvalidOperationException>(() => new KeyEncryptionOptions().LoadKey(Environment(null)));
        Assert.Equal(problem, e.Message);
    }

    [Fact]
    public void LoadKey_DevelopmentModeWithoutKek_UsesTheUnsafeDevelopmentKey()
    {
        var key = new KeyEncryptionOptions { AllowUnsafeDevelopmentKey = true }.LoadKey(Environment(null));
        Assert.True(key.IsUnsafeDevelopmentKey);
    }

    [Fact]
    public void LoadKey_FromEnvironmentOrFile_SameKeySameId()
    {
        var (expected, base64) = KeyEncryptionKey.Generate();
        var file = Path.Combine(_temp.Directory, "kek");
        File.WriteAllText(file, base64 + "\n");

        var fromEnvironment = new KeyEncryptionOptions { AllowUnsafeDevelopmentKey = true }.LoadKey(Environment(base64));
        var fromFile = new KeyEncryptionOptions { KeyFile = file }.LoadKey(Environment(null));

        Assert.False(fromEnvironment.IsUnsafeDevelopmentKey);
        Assert.Equal(expected.Id, fromEnvironment.Id);
        Assert.Equal(expected.Id, fromFile.Id);
    }

    [Theory]
    [InlineData("c2hvcnQ=", "not 32 bytes")]
    [InlineData("not base64 at all!", "not 32 bytes")]
    public void Validate_BadKek_SaysWhatIsWrong(string value, string expected)
    {
        var problem = new KeyEncryptionOptions().Validate(Environment(value));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MissingFile_NamesTheFile()
    {
        var problem = new KeyEncryptionOptions { KeyFile = "/nonexistent/kek" }.Validate(Environment(null));
        Assert.Contains("/nonexistent/kek", problem, StringComparison.Ordinal);
    }
}
