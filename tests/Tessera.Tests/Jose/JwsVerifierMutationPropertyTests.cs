using System.Text;
using System.Text.Json;
using CsCheck;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Tests.Support;

namespace Tessera.Tests.Jose;

/// <summary>Random damage to valid tokens never throws and never verifies.</summary>
public class JwsVerifierMutationPropertyTests
{
    private const int BitFlip = 0, SegmentSwap = 1, Truncation = 2, Insertion = 3, Replacement = 4;

    // Base64url, the separator, and characters a strict decoder must refuse.
    private const string Characters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \t\r\n\0%\"\\é\uD800\uFFFF";

    private static readonly JsonWebKey[] Keys = [.. JwsAlgorithm.All.Select(a => TestKeys.For(a))];

    private static readonly JwsVerifier[] Verifiers = [.. Keys.Select(k => TestKeys.VerifierFor(k))];

    private static readonly string[] Originals = [.. Keys.Select(k => TestTokens.Sign(k))];

    private static readonly Gen<(int Kind, int Position, int Value)> Mutation =
        Gen.Select(Gen.Int[0, 4], Gen.Int[0, 100_000], Gen.Int[0, 1_000]);

    [Fact]
    public void Verify_RandomlyMutatedValidToken_NeverThrowsAndNeverVerifies()
    {
        Assert.All(Verifiers.Zip(Originals), pair => VerificationAssert.Valid(pair.First.Verify(pair.Second)));

        Gen.Select(Gen.Int[0, Keys.Length - 1], Mutation.Array[1, 4]).Sample(
            (index, mutations) =>
            {
                var mutated = mutations.Aggregate(Originals[index], Apply);
                if (mutated == Originals[index])
                {
                    return;
                }

                var result = Verifiers[index].Verify(mutated);

                Assert.False(result.IsValid, $"mutated token verified: {mutated}");
                Assert.NotEqual("unknown", result.Failure.ToCode());
                Assert.False(string.IsNullOrEmpty(result.Detail));
            },
            iter: 3_000);
    }

    [Theory]
    [InlineData(BitFlip)]
    [InlineData(SegmentSwap)]
    [InlineData(Truncation)]
    [InlineData(Insertion)]
    [InlineData(Replacement)]
    public void Verify_EachKindOfMutationAlone_NeverVerifies(int kind)
    {
        Gen.Select(Gen.Int[0, Keys.Length - 1], Gen.Int[0, 100_000], Gen.Int[0, 1_000]).Sample(
            (index, position, value) =>
            {
                var mutated = Apply(Originals[index], (kind, position, value));
                Assert.False(mutated != Originals[index] && Verifiers[index].Verify(mutated).IsValid, mutated);
            },
            iter: 500);
    }

    /// <summary>
    /// Random edits of the header JSON, then signed properly: the header reader must never throw, and whatever it
    /// accepts must be a JSON object without repeated names whose <c>alg</c> is the key's.
    /// </summary>
    [Fact]
    public void Verify_SignedTokenWithRandomlyEditedHeader_NeverThrowsAndOnlyAcceptsStrictHeaders()
    {
        var key = TestKeys.For(JwsAlgorithm.HS256, "hdr");
        var verifier = TestKeys.VerifierFor(key);
        const string header = """{"alg":"HS256","kid":"hdr","typ":"JWT","ext":{"a":[1,{"b":"\u00e9"}]},"crit2":["x"]}""";
        const string pieces = "{}[]\",:\\u0061lgkid\uD800 0123456789truefalsenull\u0000jwkx5c";

        Gen.Select(Gen.Int[0, 2], Gen.Int[0, 1_000], Gen.String[Gen.Char[pieces], 1, 8]).Array[1, 3].Sample(
            edits =>
            {
                var text = header;
                foreach (var (kind, position, piece) in edits)
                {
                    var at = position % (text.Length + 1);
                    text = kind switch
                    {
                        0 => text.Insert(at, piece),
                        1 => text.Remove(Math.Min(at, text.Length - 1), Math.Min(piece.Length, text.Length - Math.Min(at, text.Length - 1))),
                        _ => text.Remove(Math.Min(at, text.Length - 1), 1).Insert(Math.Min(at, text.Length - 1), piece),
                    };
                }

                var headerBytes = Encoding.UTF8.GetBytes(text);
                var result = verifier.Verify(JwsWriter.SignWithHeader(key, headerBytes, TestTokens.PayloadBytes));

                if (result.IsValid)
                {
                    using var document = JsonDocument.Parse(headerBytes, new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 8 });
                    Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
                    Assert.Equal("HS256", document.RootElement.GetProperty("alg").GetString());
                }
            },
            iter: 3_000);
    }

    [Fact]
    public void Verify_RandomText_NeverThrowsAndNeverVerifies()
    {
        Gen.String[Gen.Char[Characters], 0, 400].Sample(text =>
        {
            foreach (var verifier in Verifiers)
            {
                Assert.False(verifier.Verify(text).IsValid);
            }
        });
    }

    private static string Apply(string token, (int Kind, int Position, int Value) mutation)
    {
        var (kind, position, value) = mutation;
        if (token.Length == 0)
        {
            return Characters[value % Characters.Length].ToString();
        }

        var at = position % token.Length;
        switch (kind)
        {
            case BitFlip:
                var chars = token.ToCharArray();
                chars[at] = (char)(chars[at] ^ (1 << (value % 8)));
                return new string(chars);
            case SegmentSwap:
                var parts = token.Split('.');
                var (a, b) = (position % parts.Length, value % parts.Length);
                (parts[a], parts[b]) = (parts[b], parts[a]);
                return string.Join('.', parts);
            case Truncation:
                return token[..at];
            case Insertion:
                return token.Insert(position % (token.Length + 1), Characters[value % Characters.Length].ToString());
            default:
                return string.Concat(token.AsSpan(0, at), Characters[value % Characters.Length].ToString(), token.AsSpan(at + 1));
        }
    }
}
