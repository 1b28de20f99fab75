using System.Buffers;
using System.Text;
using Tessera.Keys;

namespace Tessera.Jose;

/// <summary>
/// Checks a JWS compact token against a configured key set: structure and size, strict base64url, the
/// header rules of DESIGN.md principle 3, key selection by <c>kid</c>, the algorithm bound to that key,
/// and the signature. It never throws for token input and allocates nothing in proportion to it (beyond
/// remembering, in a few bounded slots, headers whose tokens verified).
/// Claims are not looked at: the token validator does that, and nothing public stops here.
/// </summary>
internal sealed class JwsVerifier
{
    /// <summary>The default maximum token length in characters (16 KiB).</summary>
    public const int DefaultMaxTokenLength = 16 * 1024;

    /// <summary>Encoded header segments longer than this are refused before decoding.</summary>
    internal const int MaxHeaderSegmentLength = 4096;

    private const int StackTokenBytes = 4096;
    private const int MaxSignatureBytes = 2048;

    /// <summary>Headers up to this length are remembered once a token carrying them has verified.</summary>
    private const int MaxRememberedHeaderLength = 512;
    private const int RememberedHeaderCount = 8;

    private readonly JsonWebKeySet _keys;
    private readonly JwsAlgorithm[] _allowed;

    // The last few header segments that verified, with the key and type they resolved to. What a header
    // resolves to depends only on its text and on this verifier's keys and allowed algorithms, which never
    // change, so a token whose header segment equals one of these skips decoding and parsing it; its
    // signature is checked as always. Only a verified signature adds an entry, so forged tokens can
    // neither fill nor churn this. Entries are immutable; a slot is replaced whole.
    private readonly VerifiedHeader?[] _verifiedHeaders = new VerifiedHeader?[RememberedHeaderCount];
    private int _nextHeaderSlot;

    public JwsVerifier(JsonWebKeySet keys, IReadOnlyCollection<JwsAlgorithm>? allowedAlgorithms = null, int maxTokenLength = DefaultMaxTokenLength)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (maxTokenLength is < 64 or > 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(maxTokenLength), maxTokenLength, "The maximum token length must be between 64 and 1,048,576 characters.");
        }

        _keys = keys;
        _allowed = (allowedAlgorithms ?? keys.Algorithms).Distinct().ToArray();
        if (_allowed.Length == 0)
        {
            throw new ArgumentException("At least one algorithm must be allowed.", nameof(allowedAlgorithms));
        }

        MaxTokenLength = maxTokenLength;
    }

    public int MaxTokenLength { get; }

    public JsonWebKeySet Keys => _keys;

    public IReadOnlyList<JwsAlgorithm> AllowedAlgorithms => _allowed;

    public JwsVerification Verify(ReadOnlySpan<char> token)
    {
        if (token.Length > MaxTokenLength)
        {
            return JwsVerification.Fail(FailureReason.TooLarge, "token is longer than the maximum length");
        }

        var firstDot = token.IndexOf('.');
        var secondDot = firstDot < 0 ? -1 : token[(firstDot + 1)..].IndexOf('.');
        if (secondDot < 0)
        {
            return JwsVerification.Fail(FailureReason.Malformed, "token does not have three segments");
        }

        secondDot += firstDot + 1;
        if (token[(secondDot + 1)..].Contains('.'))
        {
            return JwsVerification.Fail(FailureReason.Malformed, "token does not have three segments");
        }

        var headerSegment = token[..firstDot];
        var payloadSegment = token[(firstDot + 1)..secondDot];
        var signatureSegment = token[(secondDot + 1)..];
        if (headerSegment.Length > MaxHeaderSegmentLength)
        {
            return JwsVerification.Fail(FailureReason.TooLarge, "header is longer than the maximum length");
        }

        if (!Base64Url.IsValid(headerSegment) || !Base64Url.IsValid(payloadSegment) || !Base64Url.IsValid(signatureSegment))
        {
            return JwsVerification.Fail(FailureReason.Malformed, "a segment is not canonical base64url");
        }

        // Stack buffers are sized to this token, not to the limits: the runtime zeroes each one first.
        byte[]? rented = null;
        var bytes = secondDot <= StackTokenBytes
            ? stackalloc byte[secondDot]
            : (rented = ArrayPool<byte>.Shared.Rent(secondDot));
        try
        {
            // Every character is base64url or '.', so narrowing to ASCII is exact.
            Ascii.FromUtf16(token[..secondDot], bytes, out _);
            return Check(token, bytes[..secondDot], firstDot, secondDot, signatureSegment);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private JwsVerification Check(ReadOnlySpan<char> token, ReadOnlySpan<byte> signingInput, int firstDot, int secondDot, ReadOnlySpan<char> signatureSegment)
    {
        var headerSegment = token[..firstDot];
        var remembered = FindVerifiedHeader(headerSegment);
        var resolved = remembered is null
            ? ResolveKey(signingInput, firstDot)
            : JwsVerification.Success(remembered.Key, remembered.Type, 0, 0);
        if (!resolved.IsValid)
        {
            return resolved;
        }

        var key = resolved.Key!;
        var signatureLength = Base64Url.GetDecodedLength(signatureSegment.Length);
        if (signatureLength != key.SignatureSize || signatureLength > MaxSignatureBytes)
        {
            return JwsVerification.Fail(FailureReason.SignatureInvalid, "signature has the wrong length for the key");
        }

        Span<byte> signature = stackalloc byte[signatureLength];
        if (!System.Buffers.Text.Base64Url.TryDecodeFromChars(signatureSegment, signature, out var written) || written != signatureLength)
        {
            return JwsVerification.Fail(FailureReason.Malformed, "signature is not canonical base64url");
        }

        if (!key.Verify(signingInput, signature))
        {
            return JwsVerification.Fail(FailureReason.SignatureInvalid, "signature does not verify");
        }

        if (remembered is null)
        {
            RememberHeader(headerSegment, key, resolved.Type);
        }

        return JwsVerification.Success(key, resolved.Type, firstDot + 1, secondDot - firstDot - 1);
    }

    /// <summary>Reads the header and applies its rules; on success the result carries the key and the type.</summary>
    private JwsVerification ResolveKey(ReadOnlySpan<byte> signingInput, int firstDot)
    {
        // The segment is canonical base64url of at most MaxHeaderSegmentLength characters (checked by the caller).
        Span<byte> headerJson = stackalloc byte[Base64Url.GetDecodedLength(firstDot)];
        if (!Base64Url.TryDecode(signingInput[..firstDot], headerJson, out var headerLength))
        {
            return JwsVerification.Fail(FailureReason.Malformed, "header is not canonical base64url");
        }

        // A kid has no more characters than the header has bytes, so a smaller header needs a smaller buffer.
        Span<char> kidBuffer = stackalloc char[Math.Min(JsonWebKey.MaxKidLength, headerLength)];
        var header = default(JoseHeader);
        var problem = JoseHeaderReader.Read(headerJson[..headerLength], kidBuffer, ref header);
        if (problem is not null)
        {
            return JwsVerification.Fail(FailureReason.Malformed, problem);
        }

        if (!header.HasAlgorithm)
        {
            return JwsVerification.Fail(FailureReason.Malformed, "header has no alg");
        }

        if (header.AlgorithmIsNone)
        {
            return JwsVerification.Fail(FailureReason.UnsupportedAlgorithm, "unsecured tokens (alg none) are never accepted");
        }

        if (header.Algorithm is not { } algorithm)
        {
            return JwsVerification.Fail(FailureReason.UnsupportedAlgorithm, "alg is not a supported signature algorithm");
        }

        if (header.ForbiddenMember is not null)
        {
            return JwsVerification.Fail(FailureReason.ForbiddenHeader, "header carries or points at a key (jwk, jku, x5u, x5c, x5t); keys come only from configuration");
        }

        if (header.CriticalProblem is not null)
        {
            return JwsVerification.Fail(FailureReason.ForbiddenHeader, header.CriticalProblem);
        }

        if (Array.IndexOf(_allowed, algorithm) < 0)
        {
            return JwsVerification.Fail(FailureReason.AlgorithmNotAllowed, "alg is not allowed by this verifier");
        }

        var key = header.HasKid
            ? (header.KidTooLong ? null : _keys.Find(kidBuffer[..header.KidLength]))
            : _keys.SingleFor(algorithm);
        if (key is null)
        {
            return JwsVerification.Fail(
                FailureReason.KeyNotFound,
                header.HasKid ? "no configured key has this kid" : "token has no kid and no single configured key fits its alg");
        }

        if (!ReferenceEquals(key.Algorithm, algorithm))
        {
            return JwsVerification.Fail(FailureReason.AlgorithmNotAllowed, "alg differs from the algorithm bound to the key");
        }

        return JwsVerification.Success(key, header.Type, 0, 0);
    }

    private VerifiedHeader? FindVerifiedHeader(ReadOnlySpan<char> headerSegment)
    {
        foreach (var entry in _verifiedHeaders)
        {
            if (entry is not null && headerSegment.SequenceEqual(entry.Segment))
            {
                return entry;
            }
        }

        return null;
    }

    // Misses fill the slots in turn, then only one miss in four replaces a slot: with more live headers than
    // slots, most verifications then just parse, as without the cache, instead of allocating an entry each.
    private void RememberHeader(ReadOnlySpan<char> headerSegment, JsonWebKey key, string? type)
    {
        var slot = (int)((uint)Interlocked.Increment(ref _nextHeaderSlot) % (RememberedHeaderCount * 4));
        if (headerSegment.Length <= MaxRememberedHeaderLength && slot < RememberedHeaderCount)
        {
            Volatile.Write(ref _verifiedHeaders[slot], new VerifiedHeader(headerSegment.ToString(), key, type));
        }
    }

    private sealed class VerifiedHeader(string segment, JsonWebKey key, string? type)
    {
        public string Segment { get; } = segment;

        public JsonWebKey Key { get; } = key;

        public string? Type { get; } = type;
    }
}
