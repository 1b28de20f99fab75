using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tessera.Jose;
using Tessera.Revocation;
using Tessera.Server.Endpoints;
using Tessera.Tokens;

namespace Tessera.Server.Revocation;

/// <summary>
/// Applies revocations: decides the cut-offs and denied tokens, signs one Security Event Token for each,
/// persists all of it with the trigger's audit record in one transaction, then updates the in-memory index the
/// validators consult, wakes the feed's long polls, counts and logs it. At start-up it rebuilds the index from
/// the database, so revocations survive restarts.
/// </summary>
internal sealed class RevocationService(
    IRevocationStore store,
    InMemoryRevocationIndex index,
    SecurityEventWriter events,
    IssuedTokenRecorder recorder,
    FeedSignal feed,
    ServerMetrics metrics,
    TimeProvider time,
    ILogger<RevocationService> logger)
{
    /// <summary>The most outstanding tokens one trigger denies by name; the cut-off covers the rest.</summary>
    public const int MaxDeniedPerTrigger = 10_000;

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var snapshot = await store.LoadAsync(cancellationToken);
        foreach (var cutoff in snapshot.Cutoffs)
        {
            index.RevokeBefore(cutoff.Scope, cutoff.Value, cutoff.RevokedBefore);
        }

        foreach (var token in snapshot.DeniedTokens)
        {
            if (!index.TryDeny(token.TokenId, token.ExpiresAt) && token.Subject is { } subject)
            {
                // No room: cut the subject off now rather than forget the revocation (safe side, in memory only).
                RevocationLog.DenyListFull(logger, token.TokenId);
                index.RevokeBefore(RevocationScope.Subject, subject, time.GetUtcNow());
            }
        }

        RevocationLog.Loaded(logger, snapshot.Cutoffs.Count, snapshot.DeniedTokens.Count);
    }

    /// <summary>Applies an admin trigger to a subject or tenant (<paramref name="value"/>) and returns its record.</summary>
    public async Task<RevocationTrigger> TriggerAsync(TriggerEvent trigger, string value, string actor, string? reason, CancellationToken cancellationToken)
    {
        var plan = new Plan(NewId(), trigger.Name, time.GetUtcNow());
        foreach (var action in trigger.Actions)
        {
            switch (action)
            {
                case TriggerAction.RevokeBefore:
                    plan.Cutoffs.Add(new RevocationCutoff(trigger.Scope, value, plan.At));
                    break;
                case TriggerAction.DenyOutstandingTokens:
                    await recorder.FlushAsync(cancellationToken);
                    var outstanding = await store.FindOutstandingAsync(trigger.Scope, value, MaxDeniedPerTrigger + 1, cancellationToken);
                    plan.DenialsTruncated = outstanding.Count > MaxDeniedPerTrigger;
                    plan.Denied.AddRange(outstanding.Take(MaxDeniedPerTrigger).Select(t => new DeniedToken(t.TokenId, t.ExpiresAt, t.Subject)));
                    plan.DenyAction = true;
                    break;
                default:
                    plan.Recorded.Add(action);
                    break;
            }
        }

        var subject = trigger.Scope == RevocationScope.Subject ? value : null;
        var tenant = trigger.Scope == RevocationScope.Tenant ? value : null;
        return await ApplyAsync(plan, trigger.Scope, value, subject, tenant, actor, reason, cancellationToken);
    }

    /// <summary>RFC 7009: denies one validated token, at the request of the client it was issued to.</summary>
    public Task<RevocationTrigger> RevokeTokenAsync(TokenClaims claims, string clientId, CancellationToken cancellationToken)
    {
        var plan = new Plan(NewId(), TriggerEvent.Rfc7009, time.GetUtcNow()) { DenyAction = true };
        plan.Denied.Add(new DeniedToken(claims.TokenId!, claims.ExpiresAt!.Value, claims.Subject));
        return ApplyAsync(plan, RevocationScope.Subject, claims.Subject, claims.Subject, claims.Tenant, "client:" + clientId, null, cancellationToken);
    }

    public Task<IReadOnlyList<RevocationTrigger>> ListAsync(int limit, CancellationToken cancellationToken) =>
        store.ListTriggersAsync(limit, cancellationToken);

    private async Task<RevocationTrigger> ApplyAsync(
        Plan plan, RevocationScope scope, string? value, string? subject, string? tenant, string actor, string? reason, CancellationToken cancellationToken)
    {
        // The deny list goes first because only it knows whether it has room; a token it refuses is
        // covered by a subject cut-off instead, so the record and the feed say what was really done.
        var fallbacks = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in plan.Denied)
        {
            if (!index.TryDeny(token.TokenId, token.ExpiresAt) && token.Subject is { } owner)
            {
                RevocationLog.DenyListFull(logger, token.TokenId);
                if (!plan.Cutoffs.Any(c => c.Scope == RevocationScope.Subject && c.Value == owner) && fallbacks.Add(owner))
                {
                    plan.Cutoffs.Add(new RevocationCutoff(RevocationScope.Subject, owner, plan.At));
                }
            }
        }

        var sets = await events.WriteAsync(plan.Id, plan.Event, plan.Cutoffs, plan.Denied, cancellationToken);
        var record = new RevocationTrigger(plan.Id, plan.Event, subject, tenant, actor, reason, plan.Now, ActionsJson(plan, scope, value, sets, fallbacks));
        await store.ApplyAsync(new RevocationChange(record, plan.Cutoffs, plan.Denied, sets), cancellationToken);
        foreach (var cutoff in plan.Cutoffs)
        {
            index.RevokeBefore(cutoff.Scope, cutoff.Value, cutoff.RevokedBefore);
        }

        feed.Notify();
        metrics.Revoked(plan.Event);
        RevocationLog.Applied(logger, plan.Id, plan.Event, actor, plan.Cutoffs.Count, plan.Denied.Count, sets.Count);
        return record;
    }

    /// <summary>The audit record's list of actions, each with its status and the SETs that carry it.</summary>
    private static string ActionsJson(Plan plan, RevocationScope scope, string? value, IReadOnlyList<SecurityEventRecord> sets, HashSet<string> fallbacks)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, CompactJson.WriterOptions))
        {
            w.WriteStartArray();
            var next = 0;
            foreach (var cutoff in plan.Cutoffs)
            {
                w.WriteStartObject();
                w.WriteString("action", "revoke_before");
                w.WriteString("status", "applied");
                w.WriteString("scope", TriggerEvent.ScopeName(cutoff.Scope));
                w.WriteString("value", cutoff.Value);
                w.WriteNumber("revoked_before", cutoff.RevokedBefore.ToUnixTimeSeconds());
                if (cutoff.Scope == RevocationScope.Subject && fallbacks.Contains(cutoff.Value))
                {
                    w.WriteString("because", "deny_list_full");
                }

                w.WriteString("set", sets[next++].TokenId);
                w.WriteEndObject();
            }

            if (plan.DenyAction)
            {
                w.WriteStartObject();
                w.WriteString("action", "deny_tokens");
                w.WriteString("status", "applied");
                w.WriteStartArray("tokens");
                foreach (var token in plan.Denied)
                {
                    w.WriteStartObject();
                    w.WriteString("jti", token.TokenId);
                    w.WriteNumber("exp", token.ExpiresAt.ToUnixTimeSeconds());
                    w.WriteString("set", sets[next++].TokenId);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteBoolean("truncated", plan.DenialsTruncated);
                w.WriteEndObject();
            }

            foreach (var action in plan.Recorded)
            {
                w.WriteStartObject();
                w.WriteString("action", action == TriggerAction.RevokeRefreshFamilies ? "revoke_refresh_families" : "force_reauthentication");
                w.WriteString("status", "recorded");
                w.WriteString("scope", TriggerEvent.ScopeName(scope));
                w.WriteString("value", value);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string NewId() => "trg_" + Base64Url.Encode(RandomNumberGenerator.GetBytes(12));

    // NumericDates have one-second resolution; the cut-off is the next whole second (the index's safe side), stated once.
    private static DateTimeOffset WholeSecond(DateTimeOffset now)
    {
        var seconds = now.ToUnixTimeSeconds();
        return DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeMilliseconds() % 1000 == 0 ? seconds : seconds + 1);
    }

    private sealed class Plan(string id, string @event, DateTimeOffset now)
    {
        public string Id { get; } = id;

        public string Event { get; } = @event;

        public DateTimeOffset Now { get; } = now;

        /// <summary>The cut-off instant: <see cref="Now"/> rounded up to a whole second.</summary>
        public DateTimeOffset At { get; } = WholeSecond(now);

        public List<RevocationCutoff> Cutoffs { get; } = [];

        public List<DeniedToken> Denied { get; } = [];

        public bool DenyAction { get; set; }

        public bool DenialsTruncated { get; set; }

        public List<TriggerAction> Recorded { get; } = [];
    }
}
