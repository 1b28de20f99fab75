using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Keys.Ring;
using Tessera.Revocation;
using Tessera.Server.Endpoints;

namespace Tessera.Server.Revocation;

/// <summary>
/// Turns revocations into Security Event Tokens (RFC 8417) signed by the issuer's current key: <c>typ</c>
/// <c>secevent+jwt</c>, <c>iss</c>, <c>iat</c>, a random <c>jti</c>, <c>aud</c> the feed audience, <c>txn</c> the
/// trigger id, and one event each. No <c>exp</c>: an event stays true.
/// </summary>
internal sealed class SecurityEventWriter(KeyRing ring, ServerProfiles profiles, TimeProvider time)
{
    /// <summary>The JOSE <c>typ</c> of a SET (RFC 8417 §2.3).</summary>
    public const string Type = "secevent+jwt";

    /// <summary>Event: every token of <c>scope</c>/<c>value</c> with <c>iat</c> before <c>revoked_before</c> is revoked.</summary>
    public const string RevokedBeforeEvent = "https://schemas.tessera.dev/secevent/revoked-before";

    /// <summary>Event: the token with this <c>jti</c> is revoked until its <c>exp</c>.</summary>
    public const string TokenDeniedEvent = "https://schemas.tessera.dev/secevent/token-denied";

    /// <summary>The feed path; also the suffix of the feed audience.</summary>
    public const string FeedPath = "/feed";

    /// <summary>The <c>aud</c> of every SET on the feed: the issuer followed by <c>/feed</c>.</summary>
    public string Audience => profiles.Issuer + FeedPath;

    /// <summary>One SET per cut-off, then one per denied token, in that order.</summary>
    public async Task<IReadOnlyList<SecurityEventRecord>> WriteAsync(
        string transaction, string trigger, IReadOnlyList<RevocationCutoff> cutoffs, IReadOnlyList<DeniedToken> denied, CancellationToken cancellationToken)
    {
        if (cutoffs.Count + denied.Count == 0)
        {
            return [];
        }

        var key = await ring.GetSigningKeyAsync(cancellationToken: cancellationToken);
        var issuedAt = time.GetUtcNow().ToUnixTimeSeconds();
        var events = new List<SecurityEventRecord>(cutoffs.Count + denied.Count);
        foreach (var cutoff in cutoffs)
        {
            events.Add(Sign(key, issuedAt, transaction, RevokedBeforeEvent, w =>
            {
                w.WriteString("scope", TriggerEvent.ScopeName(cutoff.Scope));
                w.WriteString("value", cutoff.Value);
                w.WriteNumber("revoked_before", cutoff.RevokedBefore.ToUnixTimeSeconds());
                w.WriteString("trigger", trigger);
            }));
        }

        foreach (var token in denied)
        {
            events.Add(Sign(key, issuedAt, transaction, TokenDeniedEvent, w =>
            {
                w.WriteString("jti", token.TokenId);
                w.WriteNumber("exp", token.ExpiresAt.ToUnixTimeSeconds());
                w.WriteString("trigger", trigger);
            }));
        }

        return events;
    }

    private SecurityEventRecord Sign(JsonWebKey key, long issuedAt, string transaction, string eventUri, Action<Utf8JsonWriter> writeEvent)
    {
        var tokenId = Base64Url.Encode(RandomNumberGenerator.GetBytes(16));
        var payload = new ArrayBufferWriter<byte>(384);
        using (var writer = new Utf8JsonWriter(payload, CompactJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("iss", profiles.Issuer);
            writer.WriteNumber("iat", issuedAt);
            writer.WriteString("jti", tokenId);
            writer.WriteString("aud", Audience);
            writer.WriteString("txn", transaction);
            writer.WriteStartObject("events");
            writer.WriteStartObject(eventUri);
            writeEvent(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return new SecurityEventRecord(tokenId, JwsWriter.Sign(key, payload.WrittenSpan, Type));
    }
}
