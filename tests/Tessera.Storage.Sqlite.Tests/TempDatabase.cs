using Microsoft.Data.Sqlite;

namespace Tessera.Storage.Sqlite.Tests;

/// <summary>A fresh directory for one test's database files, deleted afterwards.</summary>
internal sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("tessera-sqlite-").FullName;
        Path = System.IO.Path.Combine(Directory, "tessera.db");
    }

    public string Directory { get; }

    public string Path { get; }

    /// <summary>The database file and its write-ahead log, as they are on disk now.</summary>
    public byte[] FileBytes()
    {
        var bytes = new List<byte>();
        foreach (var file in new[] { Path, Path + "-wal" }.Where(File.Exists))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            bytes.AddRange(copy.ToArray());
        }

        return [.. bytes];
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
