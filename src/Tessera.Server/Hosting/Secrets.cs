using System.Security.Cryptography;
using Tessera.Jose;
using Tessera.Storage.Sqlite.Keys;

namespace Tessera.Server.Hosting;

/// <summary>
/// The two secrets the service needs besides its database: the key-encryption key that seals private
/// signing keys, and the admin API key. From configuration or the environment; in development mode,
/// generated once into files beside the database so a fresh clone runs with one command.
/// </summary>
internal sealed class Secrets
{
    public const string AdminKeyVariable = "TESSERA_ADMIN_KEY";

    private Secrets(KeyEncryptionKey kek, byte[] adminKeyHash, string? newAdminKey)
    {
        KeyEncryptionKey = kek;
        AdminKeyHash = adminKeyHash;
        NewlyGeneratedAdminKey = newAdminKey;
    }

    public KeyEncryptionKey KeyEncryptionKey { get; }

    public byte[] AdminKeyHash { get; }

    /// <summary>Set only on the run that generated the admin key, so it can be shown once.</summary>
    public string? NewlyGeneratedAdminKey { get; }

    public static Secrets Load(ServerOptions options, bool developmentMode, string dataDirectory)
    {
        var kekFile = options.KeyEncryptionKeyFile;
        var kekFromEnvironment = Environment.GetEnvironmentVariable(KeyEncryptionOptions.DefaultEnvironmentVariable);
        if (kekFile is null && string.IsNullOrWhiteSpace(kekFromEnvironment))
        {
            if (!developmentMode)
            {
                throw new InvalidOperationException(
                    "No key-encryption key is configured, so private signing keys cannot be sealed. Set TESSERA_KEK to 32 random bytes in base64 " +
                    "(openssl rand -base64 32) or Tessera:KeyEncryptionKeyFile to a file holding them. For local development, run in the Development " +
                    "environment or set Tessera:DevelopmentMode=true to generate one beside the database.");
            }

            kekFile = Path.Combine(dataDirectory, "kek");
            if (!File.Exists(kekFile))
            {
                WriteSecretFile(kekFile, KeyEncryptionKey.Generate().Base64);
            }
        }

        var kek = new KeyEncryptionOptions { KeyFile = kekFile }.LoadKey();

        string? generated = null;
        var adminKey = options.AdminKeyFile is { } adminFile
            ? ReadSecretFile(adminFile, "Tessera:AdminKeyFile")
            : Environment.GetEnvironmentVariable(AdminKeyVariable);
        if (string.IsNullOrWhiteSpace(adminKey))
        {
            if (!developmentMode)
            {
                throw new InvalidOperationException(
                    $"No admin API key is configured. Set {AdminKeyVariable} to a long random value (openssl rand -base64 32) or Tessera:AdminKeyFile to a file holding one.");
            }

            var adminPath = Path.Combine(dataDirectory, "admin-key");
            if (!File.Exists(adminPath))
            {
                generated = Base64Url.Encode(RandomNumberGenerator.GetBytes(32));
                WriteSecretFile(adminPath, generated);
            }

            adminKey = ReadSecretFile(adminPath, "the development admin key file");
        }

        if (adminKey.Length < 32)
        {
            throw new InvalidOperationException("The admin API key is shorter than 32 characters. Use a long random value (openssl rand -base64 32).");
        }

        return new Secrets(kek, SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(adminKey.Trim())), generated);
    }

    public bool IsAdminKey(string presented) =>
        presented.Length <= 512
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(presented)), AdminKeyHash);

    private static string ReadSecretFile(string path, string what)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Cannot read {what} '{path}': {e.Message}. Fix the path or its permissions.", e);
        }
    }

    private static void WriteSecretFile(string path, string value)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(value);
    }
}
