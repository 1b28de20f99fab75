using System.Collections.Frozen;
using Tessera.Revocation;

namespace Tessera.Server.Revocation;

/// <summary>
/// A revocation trigger named after the event that needs it, and the actions it takes (docs/revocation.md has
/// the same table, with the reasons). This table is the only place the mapping is defined.
/// </summary>
internal sealed record TriggerEvent(string Name, RevocationScope Scope, IReadOnlyList<TriggerAction> Actions)
{
    /// <summary>The trigger name recorded for a client's own RFC 7009 revocation of one token.</summary>
    public const string Rfc7009 = "rfc7009";

    public static FrozenDictionary<string, TriggerEvent> All { get; } = new TriggerEvent[]
    {
        new("password_reset", RevocationScope.Subject, [TriggerAction.RevokeBefore, TriggerAction.RevokeRefreshFamilies, TriggerAction.ForceReauthentication]),
        new("account_compromise", RevocationScope.Subject, [TriggerAction.RevokeBefore, TriggerAction.DenyOutstandingTokens, TriggerAction.RevokeRefreshFamilies, TriggerAction.ForceReauthentication]),
        new("termination", RevocationScope.Subject, [TriggerAction.RevokeBefore, TriggerAction.RevokeRefreshFamilies, TriggerAction.ForceReauthentication]),
        new("role_change", RevocationScope.Subject, [TriggerAction.RevokeBefore, TriggerAction.RevokeRefreshFamilies]),
        new("tenant_removal", RevocationScope.Tenant, [TriggerAction.RevokeBefore, TriggerAction.RevokeRefreshFamilies, TriggerAction.ForceReauthentication]),
    }.ToFrozenDictionary(e => e.Name, StringComparer.Ordinal);

    /// <summary>The lower-case name of a scope, as in the API, the audit record and the security events.</summary>
    public static string ScopeName(RevocationScope scope) => scope switch
    {
        RevocationScope.Subject => "subject",
        RevocationScope.Tenant => "tenant",
        RevocationScope.Client => "client",
        _ => throw new ArgumentOutOfRangeException(nameof(scope)),
    };
}
