namespace Tessera.Storage.Sqlite.Sessions;

/// <summary>The family a successful code redemption creates, and its first refresh token if the client gets one.</summary>
/// <param name="FamilyId">The new family's identifier.</param>
/// <param name="ExpiresAt">The family's absolute end.</param>
/// <param name="FirstTokenHash">SHA-256 of the first refresh token, or null when the client gets none.</param>
/// <param name="FirstTokenIdleExpiresAt">When the first refresh token lapses unused.</param>
public sealed record FamilyPlan(string FamilyId, DateTimeOffset ExpiresAt, byte[]? FirstTokenHash, DateTimeOffset FirstTokenIdleExpiresAt);
