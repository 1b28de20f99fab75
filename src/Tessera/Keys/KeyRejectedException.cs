namespace Tessera.Keys;

/// <summary>
/// A key or key set was refused when it was loaded: weak, inconsistent or unusable. The message says
/// what is wrong and how to fix it. This is a configuration error, never a token outcome.
/// </summary>
public sealed class KeyRejectedException : Exception
{
    /// <summary>Creates the exception with a message that names the fix.</summary>
    public KeyRejectedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message that names the fix and the underlying cause.</summary>
    public KeyRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public KeyRejectedException()
    {
    }
}
