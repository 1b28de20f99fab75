using System.Security.Cryptography;
using System.Text;
using Tessera.Jose;

namespace Tessera.Storage.Sqlite.Keys;

/// <summary>
/// The key-encryption key (KEK): 32 random bytes that seal private signing keys at rest with AES-256-GCM.
/// Keep it outside the database (a secret file or environment variable); whoever holds both can sign tokens.
/// Load it through <see cref="KeyEncryptionOptions"/>.
/// </summary>
public sealed class KeyEncryptionKey
{
    /// <summary>The KEK length in bytes.</summary>
    public const int SizeBytes = 32;

    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const byte FormatV1 = 1;

    private readonly byte[] _signingKeySealKey;

    private KeyEncryptionKey(ReadOnlySpan<byte> kek, bool isUnsafeDevelopmentKey)
    {
        // A subkey per purpose, so the same KEK can later seal other secrets without key reuse across formats.
        _signingKeySealKey = new byte[SizeBytes];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, kek, _signingKeySealKey, [], "tessera/signing-keys/v1"u8);
        var fingerprint = SHA256.HashData([.. "tessera/kek-id/v1"u8, .. kek]);
        Id = Base64Url.Encode(fingerprint.AsSpan(0, 12));
        IsUnsafeDevelopmentKey = isUnsafeDevelopmentKey;
    }

    /// <summary>A public fingerprint of the KEK, stored beside each sealed key to tell which KEK opens it.</summary>
    public string Id { get; }

    /// <summary>True for the well-known development key, which protects nothing.</summary>
    public bool IsUnsafeDevelopmentKey { get; }

    /// <summary>The development KEK: derived from a published string, so it protects nothing. Local development only.</summary>
    public static KeyEncryptionKey UnsafeDevelopmentKey { get; } =
        new(SHA256.HashData("Tessera development key-encryption key. Public; protects nothing."u8), isUnsafeDevelopmentKey: true);

    /// <summary>Wraps 32 bytes. Throws <see cref="ArgumentException"/> for any other length.</summary>
    public static KeyEncryptionKey FromBytes(ReadOnlySpan<byte> kek)
    {
        if (kek.Length != SizeBytes)
        {
            throw new ArgumentException($"A key-encryption key is exactly {SizeBytes} bytes, not {kek.Length}. Create one with: openssl rand -base64 32", nameof(kek));
        }

        return new KeyEncryptionKey(kek, isUnsafeDevelopmentKey: false);
    }

    /// <summary>Reads 32 bytes written in base64 or base64url (surrounding white space ignored).</summary>
    public static KeyEncryptionKey Parse(string encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        var text = encoded.Trim().TrimEnd('=').Replace('+', '-').Replace('/', '_');
        byte[] bytes;
        try
        {
            bytes = System.Buffers.Text.Base64Url.DecodeFromChars(text);
        }
        catch (FormatException e)
        {
            throw new ArgumentException("The key-encryption key is not base64. Create one with: openssl rand -base64 32", nameof(encoded), e);
        }

        try
        {
            return FromBytes(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Creates a new random KEK and returns it with its base64 text, for the caller to store as a secret.</summary>
    public static (KeyEncryptionKey Key, string Base64) Generate()
    {
        var bytes = RandomNumberGenerator.GetBytes(SizeBytes);
        try
        {
            return (FromBytes(bytes), Convert.ToBase64String(bytes));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    internal byte[] Seal(ReadOnlySpan<byte> plaintext, string context)
    {
        var sealedBytes = new byte[1 + NonceBytes + TagBytes + plaintext.Length];
        sealedBytes[0] = FormatV1;
        var nonce = sealedBytes.AsSpan(1, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_signingKeySealKey, TagBytes);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(1 + NonceBytes + TagBytes), sealedBytes.AsSpan(1 + NonceBytes, TagBytes), Encoding.UTF8.GetBytes(context));
        return sealedBytes;
    }

    /// <summary>Opens a sealed value; throws <see cref="CryptographicException"/> when it was altered or sealed under another KEK or context.</summary>
    internal byte[] Open(ReadOnlySpan<byte> sealedBytes, string context)
    {
        if (sealedBytes.Length < 1 + NonceBytes + TagBytes || sealedBytes[0] != FormatV1)
        {
            throw new CryptographicException("The sealed key has an unknown format.");
        }

        var plaintext = new byte[sealedBytes.Length - 1 - NonceBytes - TagBytes];
        using var aes = new AesGcm(_signingKeySealKey, TagBytes);
        aes.Decrypt(sealedBytes.Slice(1, NonceBytes), sealedBytes[(1 + NonceBytes + TagBytes)..], sealedBytes.Slice(1 + NonceBytes, TagBytes), plaintext, Encoding.UTF8.GetBytes(context));
        return plaintext;
    }

    /// <inheritdoc />
    public override string ToString() => $"key-encryption key {Id}";
}
