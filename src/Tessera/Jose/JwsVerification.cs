using Tessera.Keys;

namespace Tessera.Jose;

/// <summary>The outcome of checking a JWS compact token's structure, header rules, key and signature.</summary>
internal readonly struct JwsVerification
{
    private JwsVerification(FailureReason failure, string? detail, JsonWebKey? key, string? type, int payloadStart, int payloadLength)
    {
        Failure = failure;
        Detail = detail;
        Key = key;
        Type = type;
        PayloadStart = payloadStart;
        PayloadLength = payloadLength;
    }

    /// <summary>0 when the signature verified.</summary>
    public FailureReason Failure { get; }

    public bool IsValid => Failure == 0;

    /// <summary>A safe, fixed description of the failing check; never a value from the token.</summary>
    public string? Detail { get; }

    /// <summary>The key that verified the signature.</summary>
    public JsonWebKey? Key { get; }

    /// <summary>The header's <c>typ</c>, when present.</summary>
    public string? Type { get; }

    /// <summary>Where the (still encoded) payload segment starts in the token.</summary>
    public int PayloadStart { get; }

    public int PayloadLength { get; }

    public static JwsVerification Fail(FailureReason reason, string detail) => new(reason, detail, null, null, 0, 0);

    public static JwsVerification Success(JsonWebKey key, string? type, int payloadStart, int payloadLength) =>
        new(0, null, key, type, payloadStart, payloadLength);
}
