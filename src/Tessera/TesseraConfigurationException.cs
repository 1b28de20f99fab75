namespace Tessera;

/// <summary>
/// Tessera was configured in a way that is unsafe or cannot work. Thrown at start-up (when options are
/// built), never for a token; the message says what to change.
/// </summary>
public sealed class TesseraConfigurationException : Exception
{
    /// <summary>Creates the exception with a message that names the fix.</summary>
    public TesseraConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message that names the fix and the underlying cause.</summary>
    public TesseraConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public TesseraConfigurationException()
    {
    }
}
