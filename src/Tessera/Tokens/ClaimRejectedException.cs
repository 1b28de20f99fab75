namespace Tessera.Tokens;

/// <summary>
/// The issuer refused a claim: a registered name set by hand, or data that looks personal or secret and
/// that the profile does not allow. The message names the claim (never its value) and the fix.
/// </summary>
public sealed class ClaimRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ClaimRejectedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ClaimRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ClaimRejectedException()
    {
    }
}
