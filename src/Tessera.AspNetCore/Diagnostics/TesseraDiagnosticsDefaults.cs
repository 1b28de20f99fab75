namespace Tessera.AspNetCore.Diagnostics;

/// <summary>Defaults of the diagnostics endpoint.</summary>
public static class TesseraDiagnosticsDefaults
{
    /// <summary>The route <see cref="TesseraDiagnosticsExtensions.MapTesseraDiagnostics"/> maps by default.</summary>
    public const string Pattern = "/tessera/diagnostics";

    /// <summary>The authorization policy protecting the endpoint. Registered by <c>AddTesseraDiagnostics</c> as "an authenticated caller with scope <see cref="Scope"/>"; redefine it to change who may read findings.</summary>
    public const string PolicyName = "TesseraDiagnostics";

    /// <summary>The scope the default policy requires.</summary>
    public const string Scope = "tessera:diagnostics";
}
