using Tessera.Jose;
using Tessera.Keys;
using Tessera.Tests.Support;

namespace Tessera.Tests.Jose;

/// <summary>The compact serialization itself: three segments, canonical base64url in each, and bounded size.</summary>
public class JwsVerifierStructureTests
{
    private static readonly JsonWebKey Key = TestKeys.For(JwsAlgorithm.HS256, "structures");

    private static readonly string Valid = TestTokens.Sign(Key);

    public static TheoryData<string, string> Shapes()
    {
        var parts = TestTokens.Segments(Valid);
        var (h, p, s) = (parts[0], parts[1], parts[2]);
        return new TheoryData<string, string>
        {
            { "malformed", "" },
            { "malformed", "." },
            { "malformed", ".." },
            { "malformed", "..." },
            { "malformed", h },
            { "malformed", $"{h}.{p}" },
            { "malformed", $"{h}.{p}.{s}." },
            { "malformed", $"{h}.{p}.{s}.{s}" },
            { "malformed", $"{h}.{p}.{s}.{s}.{s}" }, // JWE-shaped
            { "malformed", $".{p}.{s}" },
            { "malformed", $"{h}..{s}.." },
            { "malformed", $" {Valid}" },
            { "malformed", $"{Valid}\n" },
            { "malformed", $"Bearer {Valid}" },
            { "malformed", $"\"{Valid}\"" },
            { "malformed", Valid.Replace('.', ',') },
            { "signature_invalid", $"{h}..{s}" },
        };
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Verify_TokenOfTheWrongShape_IsRejectedWithReason(string expected, string token)
    {
        VerificationAssert.Rejected(expected, TestKeys.VerifierFor(Key).Verify(token));
    }

    // Each transformation keeps the decoded bytes (or their length) but breaks canonical base64url.
    public static TheoryData<string, int> NonCanonical()
    {
        var data = new TheoryData<string, int>();
        foreach (var variant in new[] { "padding", "plus", "slash", "space", "newline", "tab", "trailing-bits", "bad-length", "non-ascii", "percent" })
        {
            for (var segment = 0; segment < 3; segment++)
            {
                data.Add(variant, segment);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NonCanonical))]
    public void Verify_NonCanonicalBase64UrlInASegment_IsMalformed(string variant, int segment)
    {
        var parts = TestTokens.Segments(Valid);
        parts[segment] = Spoil(parts[segment], variant);

        VerificationAssert.Rejected("malformed", TestKeys.VerifierFor(Key).Verify(string.Join('.', parts)));
    }

    [Fact]
    public void Verify_NonCanonicalTable_HasAValidBaseline()
    {
        // Every segment of the baseline has leftover bits, so "trailing-bits" and "padding" really change something.
        Assert.All(TestTokens.Segments(Valid), s => Assert.NotEqual(0, s.Length % 4));
        VerificationAssert.Valid(TestKeys.VerifierFor(Key).Verify(Valid));
    }

    [Fact]
    public void Verify_TokenLongerThanTheLimit_IsTooLargeBeforeAnythingElse()
    {
        var verifier = TestKeys.VerifierFor(Key, maxTokenLength: 1024);
        var big = TestTokens.Sign(Key, $$"""{"sub":"alice","pad":"{{new string('x', 2000)}}"}""");

        VerificationAssert.Rejected("too_large", verifier.Verify(big));
        VerificationAssert.Rejected("too_large", verifier.Verify(new string('.', 1025)));
        VerificationAssert.Rejected("too_large", verifier.Verify(new string('A', 1025)));
        VerificationAssert.Rejected("too_large", TestKeys.VerifierFor(Key).Verify(new string('A', JwsVerifier.DefaultMaxTokenLength + 1)));
    }

    [Fact]
    public void Verify_TokenExactlyAtTheLimit_IsNotTooLarge()
    {
        string token;
        var pad = 0;
        do
        {
            token = TestTokens.Sign(Key, $$"""{"sub":"alice","pad":"{{new string('x', pad++)}}"}""");
        }
        while (token.Length < 1024);

        VerificationAssert.Valid(TestKeys.VerifierFor(Key, maxTokenLength: token.Length).Verify(token));
        VerificationAssert.Rejected("too_large", TestKeys.VerifierFor(Key, maxTokenLength: token.Length - 1).Verify(token));
    }

    [Fact]
    public void Verify_HugeHeaderWithinTheTokenLimit_IsTooLarge()
    {
        var header = $$"""{"alg":"HS256","kid":"structures","pad":"{{new string('x', 4000)}}"}""";

        var token = TestTokens.SignWithHeader(Key, header);

        VerificationAssert.Rejected("too_large", TestKeys.VerifierFor(Key).Verify(token));
    }

    [Fact]
    public void Verify_LargestAcceptedPayload_UsesNoMoreThanTheTokenLimit()
    {
        var verifier = TestKeys.VerifierFor(Key, maxTokenLength: 1024 * 1024);
        var token = TestTokens.Sign(Key, $$"""{"sub":"alice","pad":"{{new string('x', 700_000)}}"}""");

        VerificationAssert.Valid(verifier.Verify(token));
        VerificationAssert.Rejected("signature_invalid", verifier.Verify(token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1]));
    }

    [Theory]
    [InlineData(63)]
    [InlineData(1024 * 1024 + 1)]
    public void Constructor_MaxTokenLengthOutOfRange_Throws(int maxTokenLength)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TestKeys.VerifierFor(Key, maxTokenLength));
    }

    private static string Spoil(string segment, string variant) => variant switch
    {
        "padding" => segment + new string('=', 4 - (segment.Length % 4)),
        "plus" => segment.Replace('-', '+').Replace('_', '+') is var plus && plus != segment ? plus : "+" + segment[1..],
        "slash" => "/" + segment[1..],
        "space" => segment[..4] + " " + segment[4..],
        "newline" => segment[..4] + "\n" + segment[4..],
        "tab" => segment + "\t",
        "trailing-bits" => segment[..^1] + FlipLowBit(segment[^1]),
        "bad-length" => segment + "A" + (segment.Length % 4 == 0 ? "" : new string('A', 4 - (segment.Length % 4))),
        "non-ascii" => segment[..^1] + "é",
        _ => segment[..4] + "%41" + segment[4..],
    };

    private static char FlipLowBit(char c)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return alphabet[alphabet.IndexOf(c, StringComparison.Ordinal) ^ 1];
    }
}
