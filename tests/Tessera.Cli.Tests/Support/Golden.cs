using System.Text.RegularExpressions;
using Tessera.Cli.Output;

namespace Tessera.Cli.Tests.Support;

/// <summary>
/// Compares output with the files under Golden/. Run with TESSERA_UPDATE_GOLDEN=1 to (re)write them from the
/// actual output instead; review the diff before committing (Golden/README.md).
/// </summary>
internal static partial class Golden
{
    private static readonly Lazy<string> SourceDirectory = new(FindSourceDirectory);

    public static bool Updating => Environment.GetEnvironmentVariable("TESSERA_UPDATE_GOLDEN") == "1";

    /// <summary>Replaces what differs between runs and machines: the corpus folder, the tool version, SARIF fingerprints.</summary>
    public static string Normalise(string output) =>
        Fingerprint().Replace(
            output.Replace(Corpus.Directory, "{corpus}", StringComparison.Ordinal)
                  .Replace($"\"{ToolInfo.Version}\"", "\"{version}\"", StringComparison.Ordinal),
            "\"tesseraFinding/v1\": \"{fingerprint}\"");

    public static void Verify(string name, string actual)
    {
        var path = Path.Combine(SourceDirectory.Value, "Golden", name);
        var normalised = Normalise(actual);
        if (Updating)
        {
            File.WriteAllText(path, normalised);
            return;
        }

        Assert.True(File.Exists(path), $"No golden file {name}. Create it with: TESSERA_UPDATE_GOLDEN=1 dotnet test tests/Tessera.Cli.Tests");
        var expected = File.ReadAllText(path);
        if (expected != normalised)
        {
            // Equal fails with a readable diff of the first difference.
            Assert.Equal(expected, normalised);
        }
    }

    private static string FindSourceDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Tessera.Cli.Tests.csproj")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the Tessera.Cli.Tests source folder above " + AppContext.BaseDirectory);
    }

    /// <summary>The repository root (holds docs/).</summary>
    public static string RepositoryRoot => Path.GetFullPath(Path.Combine(SourceDirectory.Value, "..", ".."));

    [GeneratedRegex("\"tesseraFinding/v1\": \"[0-9a-f]{32}\"")]
    private static partial Regex Fingerprint();
}
