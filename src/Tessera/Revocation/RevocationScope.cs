namespace Tessera.Revocation;

/// <summary>What a "revoked before" cut-off applies to.</summary>
public enum RevocationScope
{
    /// <summary>Every token of one subject (<c>sub</c>).</summary>
    Subject,
    /// <summary>Every token of one tenant.</summary>
    Tenant,
    /// <summary>Every token issued to one client (<c>client_id</c>).</summary>
    Client,
}
