namespace Tessera.Storage.Sqlite.Sessions;

/// <summary>A user's sign-in at the token service, named by the session cookie (stored only as its hash).</summary>
/// <param name="Id">The public session identifier: the ID token's <c>sid</c>.</param>
/// <param name="UserId">The user (<c>sub</c>).</param>
/// <param name="Tenant">The user's tenant when they signed in, if any.</param>
/// <param name="AuthenticatedAt">When the user entered their password (<c>auth_time</c>).</param>
/// <param name="ExpiresAt">When the session ends at the latest.</param>
public sealed record SignInSession(string Id, string UserId, string? Tenant, DateTimeOffset AuthenticatedAt, DateTimeOffset ExpiresAt);
