namespace Tessera.SampleApi;

/// <summary>The sample's two bearer schemes: one per kind of token it accepts, so neither is ever taken for the other.</summary>
public static class SampleApiSchemes
{
    /// <summary>User access tokens (<c>at+jwt</c>).</summary>
    public const string User = "Bearer";

    /// <summary>Service tokens (<c>service+jwt</c>): machine-to-machine, no end user.</summary>
    public const string Service = "Service";
}
