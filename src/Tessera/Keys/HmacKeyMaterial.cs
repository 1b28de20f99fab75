using System.Security.Cryptography;
using System.Text.Json;
using Tessera.Jose;

namespace Tessera.Keys;

internal sealed class HmacKeyMaterial(byte[] secret) : KeyMaterial
{
    private readonly byte[] _secret = secret;

    // Keying an HMAC context costs more than the MAC of a typical token, so each thread keeps one context,
    // keyed once, that every MAC finishes with a reset. Nothing else shares it.
    private readonly ThreadLocal<IncrementalHash?> _contexts = new(trackAllValues: false);

    public override KeyType KeyType => KeyType.Oct;

    public override bool HasPrivateKey => true;

    public override int KeySizeBits => _secret.Length * 8;

    public override bool Verify(JwsAlgorithm algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != algorithm.SignatureSize)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[64];
        var written = Mac(algorithm, data, expected);
        return CryptographicOperations.FixedTimeEquals(expected[..written], signature);
    }

    public override int Sign(JwsAlgorithm algorithm, ReadOnlySpan<byte> data, Span<byte> destination) =>
        Mac(algorithm, data, destination);

    private int Mac(JwsAlgorithm algorithm, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (!algorithm.IsSymmetric)
        {
            throw new CryptographicException("Not an HMAC algorithm.");
        }

        var context = _contexts.Value;
        // HS256, HS384 and HS512 differ in output length, so the length tells the context's hash.
        if (context is null || context.HashLengthInBytes != algorithm.SignatureSize)
        {
            context?.Dispose();
            context = IncrementalHash.CreateHMAC(algorithm.Hash, _secret);
            _contexts.Value = context;
        }

        try
        {
            context.AppendData(data);
            return context.GetHashAndReset(destination);
        }
        catch
        {
            // A context that failed half-way may hold data; never let a later MAC start from it.
            _contexts.Value = null;
            context.Dispose();
            throw;
        }
    }

    public override void WriteThumbprintMembers(Utf8JsonWriter writer)
    {
        WriteBase64Url(writer, "k", _secret);
        writer.WriteString("kty", "oct");
    }

    // A symmetric key has no public part: its only member is the secret.
    public override void WritePublicMembers(Utf8JsonWriter writer)
    {
    }

    public override void WritePrivateMembers(Utf8JsonWriter writer) => WriteBase64Url(writer, "k", _secret);

    public override KeyMaterial PublicOnly() =>
        throw new InvalidOperationException("A symmetric key has no public part; it must never be published.");
}
