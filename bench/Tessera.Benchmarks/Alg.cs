namespace Tessera.Benchmarks;

/// <summary>The algorithms every run measures, in table order (BenchmarkDotNet orders enum parameters by value).</summary>
public enum Alg
{
    /// <summary>HMAC with SHA-256.</summary>
    HS256,
    /// <summary>RSASSA-PKCS1-v1_5 with SHA-256, 2048-bit key.</summary>
    RS256,
    /// <summary>RSASSA-PSS with SHA-256, 2048-bit key.</summary>
    PS256,
    /// <summary>ECDSA on P-256.</summary>
    ES256,
    /// <summary>Ed25519.</summary>
    EdDSA,
}
