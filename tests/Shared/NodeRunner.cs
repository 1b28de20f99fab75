using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace Tessera.Testing;

/// <summary>Shared by the test projects (linked, not copied). Runs a script of <c>tests/interop</c> with <c>node</c>: JSON in on stdin, JSON out on stdout.</summary>
internal static class NodeRunner
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private static readonly Lazy<string> InteropPath = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Tessera.slnx")))
            {
                return Path.Combine(directory.FullName, "tests", "interop");
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} contains Tessera.slnx.");
    });

    /// <summary>Runs <paramref name="script"/> after checking that <paramref name="packages"/> are installed.</summary>
    public static async Task<JsonObject> RunAsync(string script, JsonObject input, params string[] packages)
    {
        foreach (var package in packages)
        {
            var manifest = Path.Combine(InteropPath.Value, "node_modules", package, "package.json");
            if (!File.Exists(manifest))
            {
                throw new InvalidOperationException(
                    $"The Node interop packages are not installed ({manifest} is missing). Run 'npm ci' in tests/interop, or scripts/test.sh, which does.");
            }
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = InteropPath.Value,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Path.Combine(InteropPath.Value, script));

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input.ToJsonString());
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish within {Timeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"node {script} exited with {process.ExitCode}: {await error}");
        }

        return JsonNode.Parse(await output)?.AsObject() ?? throw new InvalidOperationException($"node {script} wrote no JSON.");
    }
}
