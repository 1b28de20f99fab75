using Tessera.Revocation;

namespace Tessera.Storage.Sqlite.Sessions;

/// <summary>The outcome of presenting a refresh token.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Problem">Why it was refused, as a sentence for <c>error_description</c>; null when accepted.</param>
/// <param name="Family">The token's family, when the token was known.</param>
/// <param name="TokensToDeny">On reuse: the unexpired JWTs issued from the family, to put on the deny list.</param>
public sealed record RefreshRotation(RefreshRotationStatus Status, string? Problem, RefreshFamily? Family, IReadOnlyList<DeniedToken> TokensToDeny);
