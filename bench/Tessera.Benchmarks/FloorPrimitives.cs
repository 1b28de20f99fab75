using System.Security.Cryptography;
using SignatureAlgorithm = NSec.Cryptography.SignatureAlgorithm;

namespace Tessera.Benchmarks;

/// <summary>
/// The floor: the raw primitive on pre-decoded input (signing input bytes and signature bytes), with
/// everything a library could keep between calls kept: the imported key and, for HMAC, a reused context.
/// </summary>
internal sealed class FloorPrimitives : IDisposable
{
    private readonly AlgorithmFixture _fixture;
    private readonly IncrementalHash? _hmac;
    private readonly HashAlgorithmName _hash;

    public FloorPrimitives(AlgorithmFixture fixture)
    {
        _fixture = fixture;
        _hash = fixture.Algorithm.Hash;
        if (fixture.Secret is not null)
        {
            _hmac = IncrementalHash.CreateHMAC(_hash, fixture.Secret);
        }

        if (!Verify())
        {
            throw new InvalidOperationException($"The {fixture.Name} floor does not verify the token.");
        }
    }

    public bool Verify()
    {
        var f = _fixture;
        if (_hmac is not null)
        {
            Span<byte> mac = stackalloc byte[64];
            _hmac.AppendData(f.SigningInput);
            var written = _hmac.GetHashAndReset(mac);
            return CryptographicOperations.FixedTimeEquals(mac[..written], f.Signature);
        }

        if (f.RsaPublic is not null)
        {
            return f.RsaPublic.VerifyData(f.SigningInput, f.Signature, _hash, f.RsaPadding);
        }

        if (f.EcPublic is not null)
        {
            return f.EcPublic.VerifyData(f.SigningInput, f.Signature, _hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }

        return SignatureAlgorithm.Ed25519.Verify(f.EdPublic!, f.SigningInput, f.Signature);
    }

    /// <summary>Signs the (pre-encoded) signing input into a stack buffer; returns the signature length.</summary>
    public int Sign()
    {
        var f = _fixture;
        Span<byte> signature = stackalloc byte[256];
        if (_hmac is not null)
        {
            _hmac.AppendData(f.SigningInput);
            return _hmac.GetHashAndReset(signature);
        }

        if (f.RsaPrivate is not null)
        {
            return f.RsaPrivate.SignData(f.SigningInput, signature, _hash, f.RsaPadding);
        }

        if (f.EcPrivate is not null)
        {
            return f.EcPrivate.SignData(f.SigningInput, signature, _hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }

        SignatureAlgorithm.Ed25519.Sign(f.EdPrivate!, f.SigningInput, signature[..64]);
        return 64;
    }

    public void Dispose() => _hmac?.Dispose();
}
