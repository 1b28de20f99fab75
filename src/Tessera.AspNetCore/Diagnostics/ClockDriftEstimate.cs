using System.Text.Json.Serialization;

namespace Tessera.AspNetCore.Diagnostics;

/// <summary>
/// The analyser's estimate of one client's clock offset, from the <c>iat</c> (or <c>nbf</c>) of its tokens that
/// failed a time check, compared with this API's clock when they arrived.
/// </summary>
/// <param name="ClientId">The client.</param>
/// <param name="OffsetSeconds">The median offset: positive when tokens are stamped ahead of this API's clock.</param>
/// <param name="SpreadSeconds">The median absolute deviation of the samples: small means a steady clock offset, large means something else (e.g. tokens kept past their lifetime).</param>
/// <param name="Samples">How many recent samples the estimate rests on.</param>
public sealed record ClockDriftEstimate(
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("offset_seconds")] double OffsetSeconds,
    [property: JsonPropertyName("spread_seconds")] double SpreadSeconds,
    [property: JsonPropertyName("samples")] int Samples);
