using Tessera.Revocation;

namespace Tessera.Server.Sessions;

/// <summary>
/// The revocation cut-offs ("revoked before", set by triggers) as they apply to what sessions hold: a code, a family or
/// a sign-in that began before the latest cut-off of its user, tenant or client is covered by it.
/// </summary>
internal sealed class Cutoffs(InMemoryRevocationIndex index)
{
    /// <summary>The latest cut-off of the user, the tenant or the client that is later than <paramref name="began"/>, if any.</summary>
    public DateTimeOffset? After(DateTimeOffset began, string userId, string? tenant, string? clientId = null)
    {
        DateTimeOffset? latest = null;
        foreach (var cutoff in new[]
        {
            index.CutoffFor(RevocationScope.Subject, userId),
            tenant is null ? null : index.CutoffFor(RevocationScope.Tenant, tenant),
            clientId is null ? null : index.CutoffFor(RevocationScope.Client, clientId),
        })
        {
            if (cutoff > began && (latest is null || cutoff > latest))
            {
                latest = cutoff;
            }
        }

        return latest;
    }
}
