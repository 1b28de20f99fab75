using System.Reflection;

namespace Tessera.Cli.Output;

/// <summary>The name and version tessera reports about itself in JSON and SARIF output.</summary>
internal static class ToolInfo
{
    public const string Name = "tessera";

    /// <summary>The package version, without build metadata such as a commit hash.</summary>
    public static string Version { get; } = ReadVersion();

    private static string ReadVersion()
    {
        var assembly = typeof(ToolInfo).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (informational is not null)
        {
            var plus = informational.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? informational : informational[..plus];
        }

        return assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    }
}
