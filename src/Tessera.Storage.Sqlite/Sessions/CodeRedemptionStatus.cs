namespace Tessera.Storage.Sqlite.Sessions;

/// <summary>What presenting an authorization code did.</summary>
public enum CodeRedemptionStatus
{
    /// <summary>First use, every binding matched: the family was created.</summary>
    Redeemed,

    /// <summary>Unknown, expired, or a binding did not match; the code is spent either way.</summary>
    Refused,

    /// <summary>A second use of a redeemed code: what was issued from it is revoked.</summary>
    Reused,
}
