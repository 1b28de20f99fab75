using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Tessera.Server.Hosting;

namespace Tessera.Server.Tests.Hosting;

public sealed class StartupTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tessera-startup-tests", Guid.NewGuid().ToString("N"));

    public StartupTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private WebApplication Create(Dictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Tessera:DatabasePath"] = Path.Combine(_directory, "tessera.db"),
            ["Tessera:SeedDemo"] = "false",
            ["Tessera:DevelopmentMode"] = "false",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return ServerHost.Create([], builder => builder.Configuration.AddInMemoryCollection(all));
    }

    [Theory]
    [InlineData("http://0.0.0.0:5080")]
    [InlineData("http://*:5080")]
    [InlineData("http://10.1.2.3:5080")]
    public void Create_PlainHttpOffLoopback_RefusesWithTheFix(string url)
    {
        var e = Assert.Throws<InvalidOperationException>(() => Create(new() { ["urls"] = url }));
        Assert.Contains("plain HTTP", e.Message, StringComparison.Ordinal);
        Assert.Contains("TrustedProxy", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NoKeyEncryptionKeyOutsideDevelopment_RefusesWithTheFix()
    {
        Environment.SetEnvironmentVariable("TESSERA_KEK", null);
        var e = Assert.Throws<InvalidOperationException>(() => Create(new() { ["urls"] = "http://127.0.0.1:0" }));
        Assert.Contains("TESSERA_KEK", e.Message, StringComparison.Ordinal);
        Assert.Contains("openssl rand -base64 32", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "kek")));
    }

    [Fact]
    public void Create_DevelopmentMode_GeneratesSecretsBesideTheDatabaseOnce()
    {
        Environment.SetEnvironmentVariable("TESSERA_KEK", null);
        Environment.SetEnvironmentVariable(Secrets.AdminKeyVariable, null);
        var settings = new Dictionary<string, string?> { ["urls"] = "http://127.0.0.1:0", ["Tessera:DevelopmentMode"] = "true" };
        Create(settings);
        var kek = File.ReadAllText(Path.Combine(_directory, "kek"));
        var admin = File.ReadAllText(Path.Combine(_directory, "admin-key"));
        Assert.Equal(32, Convert.FromBase64String(kek).Length);
        Assert.True(admin.Length >= 32);

        Create(settings);
        Assert.Equal(kek, File.ReadAllText(Path.Combine(_directory, "kek")));
        Assert.Equal(admin, File.ReadAllText(Path.Combine(_directory, "admin-key")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, "kek")));
        }
    }

    [Theory]
    [InlineData("Tessera:AccessTokenLifetime", "02:00:00", "AccessTokenLifetime")]
    [InlineData("Tessera:Algorithms:0", "HS256", "asymmetric")]
    [InlineData("Tessera:Issuer", "http://id.example.com", "https://")]
    public void Create_UnsafeSettings_RefusedWithTheFix(string key, string value, string fix)
    {
        File.WriteAllText(Path.Combine(_directory, "kek"), Convert.ToBase64String(new byte[32]));
        var e = Assert.Throws<InvalidOperationException>(() => Create(new()
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Tessera:KeyEncryptionKeyFile"] = Path.Combine(_directory, "kek"),
            ["Tessera:DevelopmentMode"] = "true",
            [key] = value,
        }));
        Assert.Contains(fix, e.Message, StringComparison.Ordinal);
    }
}
