using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tessera.Jose;
using Tessera.Keys.Ring;
using Tessera.Revocation;
using Tessera.Server.Endpoints;
using Tessera.Server.Revocation;
using Tessera.Storage.Sqlite.Sessions;

namespace Tessera.Server.Sessions;

/// <summary>
/// Publishes a revoked refresh family (the family itself is revoked by the store, in the same transaction that
/// decided it — a detected reuse, or the client's own RFC 7009 request): the unexpired access and ID tokens issued
/// from the family go on the deny list, and the revocation feed carries one <c>refresh-family-revoked</c> event plus
/// one <c>token-denied</c> event per token, under an audit record whose event is <c>refresh_reused</c>,
/// <c>code_reused</c> or <c>rfc7009</c> (listed with the admin triggers).
/// </summary>
internal sealed class FamilyRevocations(
    IRevocationStore store,
    InMemoryRevocationIndex index,
    SecurityEventWriter events,
    KeyRing ring,
    ServerProfiles profiles,
    FeedSignal feed,
    ServerMetrics metrics,
    TimeProvider time)
{
    /// <summary>The SET event type saying a family of refresh tokens (with everything issued from it) is revoked.</summary>
    public const string FamilyRevokedEvent = "https://schemas.tessera.dev/secevent/refresh-family-revoked";

    /// <summary>The actor recorded for a detected reuse.</summary>
    public const string ReuseDetection = "tessera:reuse-detection";

    public async Task PublishAsync(string reason, RefreshFamily family, IReadOnlyList<DeniedToken> tokens, CancellationToken cancellationToken, string actor = ReuseDetection)
    {
        var id = "trg_" + Base64Url.Encode(RandomNumberGenerator.GetBytes(12));
        var now = time.GetUtcNow();
        var familyEvent = await FamilyEventAsync(id, reason, family, now, cancellationToken);
        var denials = await events.WriteAsync(id, reason, [], tokens, cancellationToken);
        var record = new RevocationTrigger(id, reason, family.UserId, family.Tenant, actor, null, now, ActionsJson(family, familyEvent, tokens, denials));
        await store.ApplyAsync(new RevocationChange(record, [], tokens, [familyEvent, .. denials]), cancellationToken);
        foreach (var token in tokens)
        {
            if (!index.TryDeny(token.TokenId, token.ExpiresAt) && token.Subject is { Length: > 0 } subject)
            {
                // No room on the deny list: cut the user off rather than forget (in memory; the denial is stored).
                index.RevokeBefore(RevocationScope.Subject, subject, now);
            }
        }

        feed.Notify();
        metrics.Revoked(reason);
    }

    private async Task<SecurityEventRecord> FamilyEventAsync(string transaction, string reason, RefreshFamily family, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = await ring.GetSigningKeyAsync(cancellationToken: cancellationToken);
        var tokenId = Base64Url.Encode(RandomNumberGenerator.GetBytes(16));
        var payload = new ArrayBufferWriter<byte>(384);
        using (var w = new Utf8JsonWriter(payload, CompactJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("iss", profiles.Issuer);
            w.WriteNumber("iat", now.ToUnixTimeSeconds());
            w.WriteString("jti", tokenId);
            w.WriteString("aud", events.Audience);
            w.WriteString("txn", transaction);
            w.WriteStartObject("events");
            w.WriteStartObject(FamilyRevokedEvent);
            w.WriteString("family", family.Id);
            w.WriteString("client_id", family.ClientId);
            w.WriteString("trigger", reason);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return new SecurityEventRecord(tokenId, JwsWriter.Sign(key, payload.WrittenSpan, SecurityEventWriter.Type));
    }

    private static string ActionsJson(RefreshFamily family, SecurityEventRecord familyEvent, IReadOnlyList<DeniedToken> tokens, IReadOnlyList<SecurityEventRecord> denials)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, CompactJson.WriterOptions))
        {
            w.WriteStartArray();
            w.WriteStartObject();
            w.WriteString("action", "revoke_refresh_family");
            w.WriteString("status", "applied");
            w.WriteString("family", family.Id);
            w.WriteString("client_id", family.ClientId);
            w.WriteString("set", familyEvent.TokenId);
            w.WriteEndObject();
            w.WriteStartObject();
            w.WriteString("action", "deny_tokens");
            w.WriteString("status", "applied");
            w.WriteStartArray("tokens");
            for (var i = 0; i < tokens.Count; i++)
            {
                w.WriteStartObject();
                w.WriteString("jti", tokens[i].TokenId);
                w.WriteNumber("exp", tokens[i].ExpiresAt.ToUnixTimeSeconds());
                w.WriteString("set", denials[i].TokenId);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteBoolean("truncated", false);
            w.WriteEndObject();
            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
