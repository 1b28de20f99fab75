using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Tessera.LoadTest;

// The floor server is this same program started as a child process.
if (args.Length > 0 && args[0] == "floor")
{
    return await FloorServer.RunAsync(args[1..]);
}

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(LoadOptions.Usage);
    return 0;
}

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"tessera-loadtest: {e.Message}");
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

var root = RepositoryRoot();
Console.WriteLine($"Tessera load test: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
Console.WriteLine($"warm-up {options.Warmup.TotalSeconds} s, measured {options.Duration.TotalSeconds} s per run, concurrency {string.Join(", ", options.Concurrency)}, server log level {options.LogLevel}");

var results = new List<RunResult>();
var descriptions = new Dictionary<string, string>();
foreach (var name in options.Targets)
{
    Console.WriteLine();
    Console.WriteLine($"== {name}");
    await using var target = await Target.StartAsync(name, options, root);
    descriptions[name] = target.Description;
    Console.WriteLine($"  {target.Description}, pid {target.Server.Id}, {target.Server.BaseAddress}");
    foreach (var scenario in await target.ScenariosAsync(options.Operations))
    {
        foreach (var concurrency in options.Concurrency)
        {
            var result = await LoadRunner.RunAsync(name, target.Server, scenario, concurrency, options.Warmup, options.Duration);
            results.Add(result);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {scenario.Operation,-13} c={concurrency,-3} {result.RequestsPerSecond,9:F0} req/s  p50 {result.P50Ms,7:F2} ms  p99 {result.P99Ms,7:F2} ms  server CPU {result.ServerCpuMsPerRequest,6:F3} ms/req ({result.ServerCores:F2} cores)  generator {result.GeneratorCpuMsPerRequest,6:F3} ms/req  errors {result.Errors}  load {result.LoadAverage:F1}"));
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }
}

var table = Markdown(results, descriptions);
Console.WriteLine();
Console.WriteLine(table);
if (options.Markdown is not null)
{
    await File.WriteAllTextAsync(options.Markdown, table);
    Console.WriteLine($"Written to {options.Markdown}");
}

return results.Any(r => r.Requests == 0) ? 1 : 0;

static string Markdown(IReadOnlyList<RunResult> results, IReadOnlyDictionary<string, string> descriptions)
{
    var text = new StringBuilder();
    text.AppendLine("| server | operation | concurrency | requests/s | p50 ms | p99 ms | server CPU ms/request | server cores busy | generator CPU ms/request | errors | load avg |");
    text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var r in results)
    {
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| {descriptions[r.Target]} | {r.Operation} | {r.Concurrency} | {r.RequestsPerSecond:F0} | {r.P50Ms:F2} | {r.P99Ms:F2} | {r.ServerCpuMsPerRequest:F3} | {r.ServerCores:F2} | {r.GeneratorCpuMsPerRequest:F3} | {r.Errors} | {r.LoadAverage:F1} |"));
    }

    return text.ToString();
}

static string RepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Tessera.slnx")))
        {
            return directory.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
