namespace Tessera.AspNetCore.Bearer;

/// <summary>Default values of the Tessera bearer scheme.</summary>
public static class TesseraBearerDefaults
{
    /// <summary>The default scheme name, as for any OAuth bearer scheme.</summary>
    public const string AuthenticationScheme = "Bearer";
}
