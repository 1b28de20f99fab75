using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Tessera.Tests.Support;

namespace Tessera.Tests.Interop;

/// <summary>Runs one of the scripts in <c>tests/interop</c> with <c>node</c>: JSON in on stdin, JSON out on stdout.</summary>
internal static class NodeScript
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static JsonObject Run(string script, JsonObject input)
    {
        var jose = Path.Combine(RepositoryPaths.Interop, "node_modules", "jose", "package.json");
        if (!File.Exists(jose))
        {
            throw new InvalidOperationException(
                $"The Node interop packages are not installed ({jose} is missing). Run 'npm ci' in tests/interop, or scripts/test.sh, which does.");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepositoryPaths.Interop,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Interop, script));

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(input.ToJsonString());
        process.StandardInput.Close();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish within {Timeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"node {script} exited with {process.ExitCode}: {error.Result}");
        }

        return JsonNode.Parse(output.Result)?.AsObject() ?? throw new InvalidOperationException($"node {script} wrote no JSON.");
    }
}
