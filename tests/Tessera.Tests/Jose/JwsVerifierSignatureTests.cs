using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Tests.Support;

namespace Tessera.Tests.Jose;

/// <summary>Signatures that are empty, cut short, padded, zero, out of range or in the wrong encoding.</summary>
public class JwsVerifierSignatureTests
{
    public static TheoryData<string> Algorithms => TestKeys.AlgorithmNames();

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Verify_EmptySignature_IsSignatureInvalid(string alg)
    {
        var key = TestKeys.For(JwsAlgorithm.Get(alg));
        var parts = TestTokens.Segments(TestTokens.Sign(key));

        VerificationAssert.Rejected("signature_invalid", TestKeys.VerifierFor(key).Verify($"{parts[0]}.{parts[1]}."));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Verify_SignatureShortenedOrLengthened_IsSignatureInvalid(string alg)
    {
        var key = TestKeys.For(JwsAlgorithm.Get(alg));
        var token = TestTokens.Sign(key);
        var signature = TestTokens.SignatureBytes(token);
        var verifier = TestKeys.VerifierFor(key);

        foreach (var length in new[] { 1, signature.Length / 2, signature.Length - 1 })
        {
            VerificationAssert.Rejected("signature_invalid", verifier.Verify(TestTokens.WithSignature(token, signature[..length])));
            VerificationAssert.Rejected("signature_invalid", verifier.Verify(TestTokens.WithSignature(token, signature[^length..])));
        }

        VerificationAssert.Rejected("signature_invalid", verifier.Verify(TestTokens.WithSignature(token, [.. signature, 0])));
        VerificationAssert.Rejected("signature_invalid", verifier.Verify(TestTokens.WithSignature(token, [0, .. signature])));
        VerificationAssert.Rejected("signature_invalid", verifier.Verify(TestTokens.WithSignature(token, [.. signature, .. signature])));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Verify_SignatureTextCutAtEveryLength_IsNeverValid(string alg)
    {
        var key = TestKeys.For(JwsAlgorithm.Get(alg));
        var token = TestTokens.Sign(key);
        var dot = token.LastIndexOf('.');
        var verifier = TestKeys.VerifierFor(key);

        for (var end = dot + 1; end < token.Length; end++)
        {
            var result = verifier.Verify(token.AsSpan(0, end));

            Assert.False(result.IsValid);
            Assert.Contains(result.Failure.ToCode(), new[] { "signature_invalid", "malformed" });
        }
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Verify_SignatureOfTheRightLengthButAllZeroOrAllOnes_IsSignatureInvalid(string alg)
    {
        var key = TestKeys.For(JwsAlgorithm.Get(alg));
        var token = TestTokens.Sign(key);
        var length = TestTokens.SignatureBytes(token).Length;
        var verifier = TestKeys.VerifierFor(key);

        VerificationAssert.Rejected("signature_invalid", verifier.Verify(TestTokens.WithSignature(token, new byte[length])));
        VerificationAssert.Rejected("signature_invalid", verifier.Verify(TestTokens.WithSignature(token, Enumerable.Repeat((byte)0xFF, length).ToArray())));
    }

    // CVE-2022-21449 ("psychic signatures"): r = 0 and s = 0 must never verify, nor r or s equal to the group order.
    public static TheoryData<string, string> EcdsaZeroes()
    {
        var data = new TheoryData<string, string>();
        foreach (var alg in new[] { "ES256", "ES384", "ES512" })
        {
            foreach (var shape in new[] { "r=0,s=0", "r=0", "s=0", "r=n,s=n", "r=n", "s=n", "r=0,s=n" })
            {
                data.Add(alg, shape);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EcdsaZeroes))]
    public void Verify_EcdsaSignatureWithZeroOrOrderComponents_IsSignatureInvalid(string alg, string shape)
    {
        var key = TestKeys.For(JwsAlgorithm.Get(alg));
        var token = TestTokens.Sign(key);
        var valid = TestTokens.SignatureBytes(token);
        var half = valid.Length / 2;
        var order = CurveOrder(alg, half);
        var r = valid[..half];
        var s = valid[half..];
        foreach (var assignment in shape.Split(','))
        {
            var value = assignment[2..] == "0" ? new byte[half] : order;
            if (assignment[0] == 'r')
            {
                r = value;
            }
            else
            {
                s = value;
            }
        }

        VerificationAssert.Rejected("signature_invalid", TestKeys.VerifierFor(key).Verify(TestTokens.WithSignature(token, [.. r, .. s])));
    }

    [Theory]
    [InlineData("ES256", "nistP256")]
    [InlineData("ES384", "nistP384")]
    [InlineData("ES512", "nistP521")]
    public void Verify_DerEncodedEcdsaSignature_IsSignatureInvalid(string alg, string curve)
    {
        using var ecdsa = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));
        var key = JsonWebKey.FromPem(ecdsa.ExportPkcs8PrivateKeyPem(), JwsAlgorithm.Get(alg), "der");
        var token = TestTokens.Sign(key);
        var signingInput = Encoding.ASCII.GetBytes(token[..token.LastIndexOf('.')]);
        var hash = JwsAlgorithm.Get(alg).Hash;

        var der = ecdsa.SignData(signingInput, hash, DSASignatureFormat.Rfc3279DerSequence);
        Assert.True(ecdsa.VerifyData(signingInput, der, hash, DSASignatureFormat.Rfc3279DerSequence));

        var verifier = TestKeys.VerifierFor(key);
        VerificationAssert.Valid(verifier.Verify(token));
        VerificationAssert.Rejected("signature_invalid", verifier.Verify(TestTokens.WithSignature(token, der)));
        // Cut or padded to the fixed R||S size, DER bytes are still not a signature.
        var fixedSize = TestTokens.SignatureBytes(token).Length;
        var resized = new byte[fixedSize];
        der.AsSpan(0, Math.Min(der.Length, fixedSize)).CopyTo(resized);
        VerificationAssert.Rejected("signature_invalid", verifier.Verify(TestTokens.WithSignature(token, resized)));
    }

    [Fact]
    public void Verify_Ed25519SignatureWithNonCanonicalS_IsSignatureInvalid()
    {
        // S + L verifies under a lax implementation (signature malleability); RFC 8032 §5.1.7 requires S < L.
        var key = TestKeys.For(JwsAlgorithm.EdDSA);
        var token = TestTokens.Sign(key);
        var signature = TestTokens.SignatureBytes(token);
        var l = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493", System.Globalization.CultureInfo.InvariantCulture);
        var s = new BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: false) + l;
        var sBytes = new byte[32];
        Assert.True(s.TryWriteBytes(sBytes, out _, isUnsigned: true, isBigEndian: false));

        VerificationAssert.Rejected("signature_invalid", TestKeys.VerifierFor(key).Verify(TestTokens.WithSignature(token, [.. signature[..32], .. sBytes])));
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("PS256")]
    public void Verify_RsaSignatureNotBelowTheModulus_IsSignatureInvalid(string alg)
    {
        var key = TestKeys.For(JwsAlgorithm.Get(alg));
        var token = TestTokens.Sign(key);
        var modulus = Base64Url.DecodeOrNull(System.Text.Json.JsonDocument.Parse(key.ToPublicJwk()).RootElement.GetProperty("n").GetString())!;

        VerificationAssert.Rejected("signature_invalid", TestKeys.VerifierFor(key).Verify(TestTokens.WithSignature(token, modulus)));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Verify_SignatureOfAnotherTokenFromTheSameKey_IsSignatureInvalid(string alg)
    {
        var key = TestKeys.For(JwsAlgorithm.Get(alg));
        var first = TestTokens.Sign(key, """{"sub":"alice"}""");
        var second = TestTokens.Sign(key, """{"sub":"admin"}""");

        VerificationAssert.Rejected("signature_invalid", TestKeys.VerifierFor(key).Verify(TestTokens.WithSignature(second, TestTokens.SignatureBytes(first))));
    }

    private static byte[] CurveOrder(string alg, int size)
    {
        var hex = alg switch
        {
            "ES256" => "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551",
            "ES384" => "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973",
            _ => "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409",
        };
        var order = Convert.FromHexString(hex);
        Assert.Equal(size, order.Length);
        return order;
    }
}
