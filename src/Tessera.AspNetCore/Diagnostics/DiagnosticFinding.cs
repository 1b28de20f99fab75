using System.Text.Json.Serialization;

namespace Tessera.AspNetCore.Diagnostics;

/// <summary>A conclusion drawn from a stream of rejected tokens: what is likely wrong, about whom, since when.</summary>
public sealed record DiagnosticFinding
{
    /// <summary>The finding's code (<see cref="FindingKinds"/>).</summary>
    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    /// <summary>What <see cref="Key"/> names: <c>client</c>, <c>source</c> or <c>kid</c>.</summary>
    [JsonPropertyName("subject_type")]
    public required string SubjectType { get; init; }

    /// <summary>The client id, source address or key id the finding is about.</summary>
    [JsonPropertyName("key")]
    public required string Key { get; init; }

    /// <summary>The likely cause and what to do, in one sentence.</summary>
    [JsonPropertyName("summary")]
    public required string Summary { get; init; }

    /// <summary>Rejections that contributed since the finding was first raised.</summary>
    [JsonPropertyName("count")]
    public long Count { get; init; }

    /// <summary>When the finding was first raised.</summary>
    [JsonPropertyName("first_seen")]
    public DateTimeOffset FirstSeen { get; init; }

    /// <summary>When a rejection last contributed.</summary>
    [JsonPropertyName("last_seen")]
    public DateTimeOffset LastSeen { get; init; }

    /// <summary>For <see cref="FindingKinds.ClockDrift"/>: the estimated offset in seconds (positive: the issuer's clock is ahead of this API's).</summary>
    [JsonPropertyName("estimated_offset_seconds")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? EstimatedOffsetSeconds { get; init; }
}
