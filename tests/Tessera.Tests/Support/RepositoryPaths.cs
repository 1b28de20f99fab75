namespace Tessera.Tests.Support;

/// <summary>Finds files of the repository from wherever the test assembly runs.</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The folder that holds <c>Tessera.slnx</c>.</summary>
    public static string Root => RootPath.Value;

    public static string Vectors => Path.Combine(Root, "tests", "vectors");

    public static string Interop => Path.Combine(Root, "tests", "interop");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Tessera.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} contains Tessera.slnx.");
    }
}
