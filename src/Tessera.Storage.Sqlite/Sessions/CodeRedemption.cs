using Tessera.Revocation;

namespace Tessera.Storage.Sqlite.Sessions;

/// <summary>The outcome of presenting an authorization code.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Problem">Why it was refused, as a sentence for <c>error_description</c>; null when redeemed.</param>
/// <param name="Code">What the code stood for, when it was found.</param>
/// <param name="Family">The family created (redeemed) or revoked (reused).</param>
/// <param name="TokensToDeny">On reuse: the unexpired JWTs issued from the code, to put on the deny list.</param>
public sealed record CodeRedemption(
    CodeRedemptionStatus Status, string? Problem, AuthorizationCodeGrant? Code, RefreshFamily? Family, IReadOnlyList<DeniedToken> TokensToDeny);
