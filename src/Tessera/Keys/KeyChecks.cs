using System.Security.Cryptography;
using NSec.Cryptography;
using Tessera.Jose;

namespace Tessera.Keys;

/// <summary>The load-time rules every key passes, whatever format it came in.</summary>
internal static class KeyChecks
{
    private const int MaxRsaBits = 16384;
    private static readonly byte[] F4 = [0x01, 0x00, 0x01];

    public static HmacKeyMaterial Hmac(byte[] secret, JwsAlgorithm algorithm)
    {
        if (secret.Length < algorithm.SignatureSize)
        {
            throw new KeyRejectedException(
                $"The {algorithm.Name} secret is {secret.Length} bytes; it must be at least {algorithm.SignatureSize} random bytes " +
                $"(the hash output). Generate one with 'tessera keys generate --alg {algorithm.Name}'.");
        }

        if (LooksLikeKeyText(secret))
        {
            throw new KeyRejectedException(
                $"The {algorithm.Name} secret looks like an encoded public or private key (PEM, DER or JWK text). Using a key's text as an " +
                "HMAC secret is how algorithm-confusion attacks forge tokens; use the key as the asymmetric key it is, or a random secret.");
        }

        return new HmacKeyMaterial(secret);
    }

    // PEM armour, a JSON object (a JWK) or a DER SEQUENCE with a long-form length (SPKI, PKCS#1, PKCS#8).
    private static bool LooksLikeKeyText(ReadOnlySpan<byte> secret) =>
        secret.StartsWith("-----BEGIN"u8)
        || (secret.Length > 2 && secret[0] == (byte)'{' && secret.IndexOf("\"kty\""u8) >= 0)
        || (secret.Length > 4 && secret[0] == 0x30 && secret[1] is 0x81 or 0x82 && (secret[1] == 0x81 ? secret[2] + 3 : (secret[2] << 8) + secret[3] + 4) == secret.Length);

    public static RsaKeyMaterial Rsa(RSAParameters parameters, JwsAlgorithm algorithm)
    {
        var modulus = TrimLeadingZeros(parameters.Modulus);
        var exponent = TrimLeadingZeros(parameters.Exponent);
        var bits = BitLength(modulus);
        if (bits < algorithm.MinimumKeyBits)
        {
            throw new KeyRejectedException(
                $"The RSA key has a {bits}-bit modulus; {algorithm.Name} needs at least {algorithm.MinimumKeyBits} bits. " +
                "Generate a new key of 2048 bits or more.");
        }

        if (bits > MaxRsaBits)
        {
            throw new KeyRejectedException($"The RSA key has a {bits}-bit modulus; Tessera accepts at most {MaxRsaBits} bits.");
        }

        if ((modulus[^1] & 1) == 0)
        {
            throw new KeyRejectedException("The RSA modulus is even, so it is not a valid RSA key. Generate a new key.");
        }

        if (!exponent.AsSpan().SequenceEqual(F4))
        {
            throw new KeyRejectedException(
                "The RSA public exponent is not 65537 (AQAB). Unusual exponents are refused; generate a new key with e = 65537.");
        }

        parameters.Modulus = modulus;
        parameters.Exponent = exponent;
        var hasPrivate = parameters.D is not null;
        if (hasPrivate)
        {
            // JWK and PEM encoders may drop leading zero bytes; the backend wants fixed widths.
            var half = (modulus.Length + 1) / 2;
            parameters.D = LeftPad(parameters.D!, modulus.Length);
            parameters.P = LeftPad(parameters.P, half);
            parameters.Q = LeftPad(parameters.Q, half);
            parameters.DP = LeftPad(parameters.DP, half);
            parameters.DQ = LeftPad(parameters.DQ, half);
            parameters.InverseQ = LeftPad(parameters.InverseQ, half);
        }

        RSA rsa = System.Security.Cryptography.RSA.Create();
        try
        {
            rsa.ImportParameters(parameters);
        }
        catch (CryptographicException e)
        {
            rsa.Dispose();
            throw new KeyRejectedException("The RSA key parameters are inconsistent (the private values do not match the modulus). Export the key again.", e);
        }

        var material = new RsaKeyMaterial(rsa, hasPrivate);
        if (hasPrivate)
        {
            SelfTest(material, algorithm, "RSA");
        }

        return material;
    }

    public static EcKeyMaterial Ec(ECParameters parameters, string curve, JwsAlgorithm algorithm)
    {
        if (algorithm.Curve != curve)
        {
            throw new KeyRejectedException(
                $"The EC key is on {curve} but {algorithm.Name} needs {algorithm.Curve}. Use the algorithm that matches the curve " +
                "(P-256: ES256, P-384: ES384, P-521: ES512).");
        }

        var size = EcKeyMaterial.CoordinateSize(curve);
        if (parameters.Q.X?.Length != size || parameters.Q.Y?.Length != size || (parameters.D is not null && parameters.D.Length != size))
        {
            throw new KeyRejectedException($"The {curve} key's coordinates must be exactly {size} bytes each (RFC 7518 §6.2.1).");
        }

        parameters.Curve = EcKeyMaterial.CurveFor(curve);
        ECDsa ecdsa;
        try
        {
            parameters.Validate();
            ecdsa = ECDsa.Create(parameters);
        }
        catch (CryptographicException e)
        {
            throw new KeyRejectedException($"The EC public point is not on {curve}, or the private value does not match it. Export the key again.", e);
        }

        var material = new EcKeyMaterial(ecdsa, curve, parameters.D is not null);
        if (material.HasPrivateKey)
        {
            SelfTest(material, algorithm, "EC");
        }

        return material;
    }

    public static Ed25519KeyMaterial Ed25519(byte[] publicBytes, byte[]? privateSeed)
    {
        if (publicBytes.Length != 32 || (privateSeed is not null && privateSeed.Length != 32))
        {
            throw new KeyRejectedException("An Ed25519 key's x (and d) must be exactly 32 bytes (RFC 8037).");
        }

        var algorithm = SignatureAlgorithm.Ed25519;
        if (!PublicKey.TryImport(algorithm, publicBytes, KeyBlobFormat.RawPublicKey, out var publicKey) || publicKey is null)
        {
            throw new KeyRejectedException("The Ed25519 public key x is not a valid curve point.");
        }

        Key? privateKey = null;
        if (privateSeed is not null)
        {
            if (!Key.TryImport(algorithm, privateSeed, KeyBlobFormat.RawPrivateKey, out privateKey, Ed25519KeyMaterial.Exportable) || privateKey is null)
            {
                throw new KeyRejectedException("The Ed25519 private key d could not be imported.");
            }

            if (!privateKey.PublicKey.Export(KeyBlobFormat.RawPublicKey).AsSpan().SequenceEqual(publicBytes))
            {
                throw new KeyRejectedException("The Ed25519 private key d does not match the public key x. Export the key again.");
            }
        }

        return new Ed25519KeyMaterial(publicKey, privateKey);
    }

    // A private key that cannot verify its own signature is corrupt; finding out at load beats finding out per token.
    private static void SelfTest(KeyMaterial material, JwsAlgorithm algorithm, string kind)
    {
        ReadOnlySpan<byte> probe = "tessera key self-test"u8;
        Span<byte> signature = stackalloc byte[MaxRsaBits / 8];
        var written = material.Sign(algorithm, probe, signature);
        if (!material.Verify(algorithm, probe, signature[..written]))
        {
            throw new KeyRejectedException($"The {kind} private key does not match its public key. Export the key again.");
        }
    }

    private static byte[] LeftPad(byte[]? value, int length)
    {
        if (value is null)
        {
            throw new KeyRejectedException("The RSA private key lacks its CRT parameters (p, q, dp, dq, qi). Export the full private key.");
        }

        value = value.AsSpan().IndexOfAnyExcept((byte)0) is var first and > 0 ? value[first..] : value;
        if (value.Length > length)
        {
            throw new KeyRejectedException("An RSA private key parameter is longer than the modulus allows. Export the key again.");
        }

        if (value.Length == length)
        {
            return value;
        }

        var padded = new byte[length];
        value.CopyTo(padded, length - value.Length);
        return padded;
    }

    private static byte[] TrimLeadingZeros(byte[]? value)
    {
        if (value is null || value.Length == 0)
        {
            throw new KeyRejectedException("The RSA key is missing its modulus (n) or exponent (e).");
        }

        var first = value.AsSpan().IndexOfAnyExcept((byte)0);
        return first <= 0 ? value : value[first..];
    }

    private static int BitLength(byte[] value)
    {
        if (value.Length == 0 || (value.Length == 1 && value[0] == 0))
        {
            return 0;
        }

        return ((value.Length - 1) * 8) + (32 - System.Numerics.BitOperations.LeadingZeroCount((uint)value[0]));
    }
}
