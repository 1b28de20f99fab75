namespace Tessera.Storage.Sqlite.Sessions;

/// <summary>What presenting a refresh token did.</summary>
public enum RefreshRotationStatus
{
    /// <summary>The current token: it is now spent and its successor stored.</summary>
    Rotated,

    /// <summary>The immediate predecessor of the current token, again, within the grace window: the same successor is valid.</summary>
    Retried,

    /// <summary>Unknown, expired, revoked, or another client's: refused without changing anything.</summary>
    Refused,

    /// <summary>A spent token outside the grace rule: the whole family is revoked now.</summary>
    Reused,

    /// <summary>The family was cut off by a revocation trigger (checked at use): revoked now.</summary>
    CutOff,
}
