namespace Tessera.Server.Revocation;

/// <summary>What a trigger does to the subject or tenant it names.</summary>
internal enum TriggerAction
{
    /// <summary>A "revoked before now" cut-off: every JWT issued until now stops being accepted. Applied.</summary>
    RevokeBefore,

    /// <summary>Each unexpired JWT issued to the subject goes on the <c>jti</c> deny list by name. Applied.</summary>
    DenyOutstandingTokens,

    /// <summary>Every refresh-token family is revoked. Recorded now; enforced by the user-sessions store.</summary>
    RevokeRefreshFamilies,

    /// <summary>Every sign-in session ends; the user must authenticate again. Recorded now; enforced by the user-sessions store.</summary>
    ForceReauthentication,
}
