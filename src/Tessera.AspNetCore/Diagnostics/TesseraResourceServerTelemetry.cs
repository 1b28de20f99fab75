namespace Tessera.AspNetCore.Diagnostics;

/// <summary>
/// The instrument and attribute names the resource-server parts add to the <c>Tessera</c> meter: a contract,
/// documented in docs/resource-server.md. Attribute values never carry a token, a secret, a subject or an address.
/// </summary>
public static class TesseraResourceServerTelemetry
{
    /// <summary>Counter: bearer token validations, with <c>tessera.result</c>, <c>error.type</c>, <c>tessera.failure.reason</c>, <c>tessera.token.kind</c> and <see cref="Scheme"/>.</summary>
    public const string Validations = "tessera.token.validations";

    /// <summary>Counter: requests refused because fresh revocation state or live introspection was demanded and unavailable, with <c>error.type</c> and <see cref="Scheme"/>.</summary>
    public const string FailedClosed = "tessera.revocation.fail_closed";

    /// <summary>Counter: polls of the revocation feed, with <c>tessera.result</c> and <c>error.type</c>.</summary>
    public const string FeedPolls = "tessera.revocation.feed.polls";

    /// <summary>Counter: security events received from the feed, with <c>tessera.result</c> (<c>applied</c>, <c>refused</c>, <c>ignored</c>), <see cref="EventType"/> and <c>error.type</c>.</summary>
    public const string FeedEvents = "tessera.revocation.feed.events";

    /// <summary>Observable gauge (s): time since the revocation state was last confirmed current by a successful poll.</summary>
    public const string FeedStaleness = "tessera.revocation.feed.staleness";

    /// <summary>Counter: introspection lookups, with <c>tessera.result</c> (<c>active</c>, <c>inactive</c>, <c>error</c>) and <see cref="Cache"/> (<c>hit</c>, <c>miss</c>).</summary>
    public const string IntrospectionLookups = "tessera.introspection.lookups";

    /// <summary>Histogram (s): one introspection request to the token service, with <c>tessera.result</c>.</summary>
    public const string IntrospectionDuration = "tessera.introspection.duration";

    /// <summary>Counter: findings raised by the failure-signal analyser, with <see cref="FindingKind"/>.</summary>
    public const string Findings = "tessera.diagnostics.findings";

    /// <summary>Attribute: the authentication scheme (one scheme is one token profile).</summary>
    public const string Scheme = "tessera.scheme";

    /// <summary>Attribute: the short name of a revocation event (<c>cutoff</c>, <c>deny</c>, …).</summary>
    public const string EventType = "tessera.revocation.event";

    /// <summary>Attribute: <c>hit</c> or <c>miss</c>.</summary>
    public const string Cache = "tessera.cache";

    /// <summary>Attribute: the finding kind (<see cref="FindingKinds"/>).</summary>
    public const string FindingKind = "tessera.finding.kind";
}
