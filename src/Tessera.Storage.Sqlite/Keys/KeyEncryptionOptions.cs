namespace Tessera.Storage.Sqlite.Keys;

/// <summary>
/// Where the key-encryption key comes from: a file (<see cref="KeyFile"/>) or an environment variable
/// (<see cref="EnvironmentVariable"/>, default <c>TESSERA_KEK</c>), holding 32 random bytes in base64.
/// Without one, loading fails with a message that says how to configure it, unless
/// <see cref="AllowUnsafeDevelopmentKey"/> explicitly allows the public development key.
/// </summary>
public sealed class KeyEncryptionOptions
{
    /// <summary>The environment variable read by default.</summary>
    public const string DefaultEnvironmentVariable = "TESSERA_KEK";

    private const string HowToCreate = "Create a key with: openssl rand -base64 32";

    /// <summary>A file holding the KEK in base64. When set, it is used and the environment variable is not read.</summary>
    public string? KeyFile { get; set; }

    /// <summary>The environment variable holding the KEK in base64, read when <see cref="KeyFile"/> is not set.</summary>
    public string EnvironmentVariable { get; set; } = DefaultEnvironmentVariable;

    /// <summary>
    /// Local development only: when no KEK is configured, use <see cref="KeyEncryptionKey.UnsafeDevelopmentKey"/>,
    /// which is public and protects nothing. A store sealed with it cannot later be opened with a real KEK.
    /// </summary>
    public bool AllowUnsafeDevelopmentKey { get; set; }

    /// <summary>Null when a KEK can be loaded; otherwise what is wrong and how to fix it.</summary>
    /// <param name="environment">Reads an environment variable; the process environment when null.</param>
    public string? Validate(Func<string, string?>? environment = null) => TryLoad(environment, out _);

    /// <summary>Loads the KEK. Throws <see cref="InvalidOperationException"/> with the fix when none is usable.</summary>
    /// <param name="environment">Reads an environment variable; the process environment when null.</param>
    public KeyEncryptionKey LoadKey(Func<string, string?>? environment = null) =>
        TryLoad(environment, out var key) is { } problem ? throw new InvalidOperationException(problem) : key!;

    private string? TryLoad(Func<string, string?>? environment, out KeyEncryptionKey? key)
    {
        key = null;
        string text;
        string source;
        if (!string.IsNullOrWhiteSpace(KeyFile))
        {
            source = $"the file '{KeyFile}'";
            try
            {
                text = File.ReadAllText(KeyFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return $"The key-encryption key file '{KeyFile}' cannot be read ({e.Message}). Fix the path or its permissions. {HowToCreate}";
            }
        }
        else
        {
            source = $"the environment variable {EnvironmentVariable}";
            var value = string.IsNullOrWhiteSpace(EnvironmentVariable)
                ? null
                : (environment ?? Environment.GetEnvironmentVariable)(EnvironmentVariable);
            if (string.IsNullOrWhiteSpace(value))
            {
                if (AllowUnsafeDevelopmentKey)
                {
                    key = KeyEncryptionKey.UnsafeDevelopmentKey;
                    return null;
                }

                return "No key-encryption key (KEK) is configured, and private signing keys are stored only encrypted. "
                    + $"Fix: set the environment variable {(string.IsNullOrWhiteSpace(EnvironmentVariable) ? DefaultEnvironmentVariable : EnvironmentVariable)} "
                    + "to 32 random bytes in base64, or set KeyFile to a file holding them. "
                    + $"{HowToCreate}. For local development only, set AllowUnsafeDevelopmentKey to use a public key that protects nothing.";
            }

            text = value;
        }

        try
        {
            key = KeyEncryptionKey.Parse(text);
            return null;
        }
        catch (ArgumentException)
        {
            return $"The key-encryption key in {source} is not 32 bytes of base64. {HowToCreate}";
        }
    }
}
