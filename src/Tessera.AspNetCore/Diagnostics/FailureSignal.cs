namespace Tessera.AspNetCore.Diagnostics;

/// <summary>
/// One rejected token, as the failure-signal analyser sees it: the reason, who sent it, which key and algorithm its
/// header named, and — only when the signature verified, so they are the issuer's words — its client and times.
/// Never the token and never its subject.
/// </summary>
/// <param name="Reason">Why the token was rejected.</param>
/// <param name="Source">The network source (the connection's remote address), or null.</param>
/// <param name="ClientId">The <c>client_id</c> of a token whose signature verified, else null.</param>
/// <param name="Kid">The header's <c>kid</c> (sanitised and truncated), or null.</param>
/// <param name="Algorithm">The header's <c>alg</c> when Tessera knows it, <c>none</c>, or null.</param>
/// <param name="IssuedAt">The verified token's <c>iat</c>, if any.</param>
/// <param name="NotBefore">The verified token's <c>nbf</c>, if any.</param>
/// <param name="ExpiresAt">The verified token's <c>exp</c>, if any.</param>
public readonly record struct FailureSignal(
    FailureReason Reason,
    string? Source,
    string? ClientId = null,
    string? Kid = null,
    string? Algorithm = null,
    DateTimeOffset? IssuedAt = null,
    DateTimeOffset? NotBefore = null,
    DateTimeOffset? ExpiresAt = null);
