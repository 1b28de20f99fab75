using System.Text;
using Microsoft.Extensions.Time.Testing;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Keys.Ring;

namespace Tessera.Tests.Keys.Ring;

/// <summary>
/// Runs token-service processes (one <see cref="KeyRing"/> each, over stores that share state) and
/// verifiers that cache the published JWKS for its max-age, step by step on a fake clock. Every token is
/// checked right after issue, at a random moment and just before it expires. Shared by the in-memory and
/// SQLite test projects.
/// </summary>
internal sealed class RingSimulation
{
    private readonly FakeTimeProvider _time;
    private readonly RotationPolicy _policy;
    private readonly KeyRing[] _rings;
    private readonly Verifier[] _verifiers;
    private readonly PriorityQueue<(IssuedToken Token, bool Last), DateTimeOffset> _checks = new();
    private readonly Random _random = new(20240607);

    public RingSimulation(FakeTimeProvider time, RotationPolicy policy, IReadOnlyList<IKeyStore> processStores)
    {
        _time = time;
        _policy = policy;
        _rings = [.. processStores.Select(s => new KeyRing(s, policy, time))];
        // Verifiers fetch on different phases, so some always hold the oldest copy the max-age allows.
        _verifiers = [.. Enumerable.Range(0, 3).Select(i => new Verifier(_rings[i % _rings.Length], TimeSpan.FromMinutes(i * 17)))];
    }

    public int Issued { get; private set; }

    public int Checks { get; private set; }

    public List<string> Failures { get; } = [];

    /// <summary>Every distinct key that signed, with its record as the signing ring saw it.</summary>
    public Dictionary<string, KeyRecord> Signers { get; } = new(StringComparer.Ordinal);

    /// <summary>Issues one token every <paramref name="issueEvery"/> for <paramref name="duration"/>, then lets the last ones expire.</summary>
    public async Task RunAsync(TimeSpan duration, TimeSpan issueEvery)
    {
        var end = _time.GetUtcNow() + duration;
        var drained = end + _policy.MaxTokenLifetime;
        var nextIssue = _time.GetUtcNow();
        var n = 0;
        while (_time.GetUtcNow() < drained)
        {
            var now = _time.GetUtcNow();
            foreach (var verifier in _verifiers)
            {
                await verifier.RefreshIfDueAsync(now);
            }

            if (now >= nextIssue && now < end)
            {
                await IssueAsync(_rings[n % _rings.Length], _policy.Algorithms[n % _policy.Algorithms.Count]);
                nextIssue += issueEvery;
                n++;
            }

            RunDueChecks();

            // Jump to the next event: an issue, a verifier's cache expiry or a scheduled check.
            var next = _verifiers.Min(v => v.Expires);
            next = nextIssue < end && nextIssue < next ? nextIssue : next;
            if (_checks.TryPeek(out _, out var checkAt) && checkAt < next)
            {
                next = checkAt;
            }

            _time.Advance(next > now ? next - now : TimeSpan.FromMilliseconds(1));
        }
    }

    private async Task IssueAsync(KeyRing ring, JwsAlgorithm algorithm)
    {
        var key = await ring.GetSigningKeyAsync(algorithm);
        var now = _time.GetUtcNow();
        var record = ring.Current.Keys.Single(k => k.Kid == key.Kid);
        Signers.TryAdd(key.Kid, record);
        if (now < record.ActivatesAt || record.StateAt(now) != KeyState.Active)
        {
            Failures.Add($"{key.Kid} signed at {now:O} while {record.StateAt(now)} (activates {record.ActivatesAt:O})");
        }

        var lifetime = TimeSpan.FromSeconds(_random.Next(60, (int)_policy.MaxTokenLifetime.TotalSeconds + 1));
        var payload = Encoding.UTF8.GetBytes($$"""{"jti":"{{Issued}}","iat":{{now.ToUnixTimeSeconds()}}}""");
        var token = new IssuedToken(JwsWriter.Sign(key, payload, "JWT"), key.Kid, now, now + lifetime);
        Issued++;
        Check(token);
        var randomMoment = now + TimeSpan.FromSeconds(_random.NextDouble() * lifetime.TotalSeconds);
        _checks.Enqueue((token, false), randomMoment);
        _checks.Enqueue((token, true), token.ExpiresAt - TimeSpan.FromSeconds(1));
    }

    private void RunDueChecks()
    {
        var now = _time.GetUtcNow();
        while (_checks.TryPeek(out var due, out var at) && at <= now)
        {
            _checks.Dequeue();
            if (now < due.Token.ExpiresAt)
            {
                Check(due.Token);
            }
        }
    }

    private void Check(IssuedToken token)
    {
        foreach (var verifier in _verifiers)
        {
            Checks++;

            // Verification depends only on the token and the key set, so a token already verified against
            // the same JWKS document (same ETag) needs no second signature check.
            if (token.VerifiedWith.Contains(verifier.ETag))
            {
                continue;
            }

            var result = verifier.Current!.Verify(token.Text);
            if (result.IsValid)
            {
                token.VerifiedWith.Add(verifier.ETag);
            }
            else
            {
                Failures.Add($"token by {token.Kid} issued {token.IssuedAt:O}, expiring {token.ExpiresAt:O}, rejected at {_time.GetUtcNow():O} by a verifier that fetched at {verifier.FetchedAt:O}: {result.Failure.ToCode()} {result.Detail}");
            }
        }
    }

    private sealed record IssuedToken(string Text, string Kid, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)
    {
        public HashSet<string> VerifiedWith { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>A resource server: fetches the JWKS document and keeps it for its max-age.</summary>
    private sealed class Verifier(KeyRing source, TimeSpan phase)
    {
        private bool _phased;

        public JwsVerifier? Current { get; private set; }

        public DateTimeOffset FetchedAt { get; private set; }

        public string ETag { get; private set; } = "";

        public DateTimeOffset Expires { get; private set; } = DateTimeOffset.MinValue;

        public async Task RefreshIfDueAsync(DateTimeOffset now)
        {
            if (now < Expires && Current is not null)
            {
                return;
            }

            var document = await source.GetJwksAsync();
            if (document.ETag != ETag)
            {
                // Like a conditional GET: an unchanged document (304) keeps the parsed key set.
                Current = new JwsVerifier(JsonWebKeySet.Parse(document.Json));
                ETag = document.ETag;
            }

            FetchedAt = now;
            // The first fetch is cut short by the phase, so verifiers refresh at different moments.
            Expires = now + document.MaxAge - (_phased ? TimeSpan.Zero : phase);
            _phased = true;
        }
    }
}
