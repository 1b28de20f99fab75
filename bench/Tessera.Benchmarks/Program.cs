using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Tessera.Benchmarks;

// Every BenchmarkDotNet switch works (`--filter '*Verify*'`, `--job short`, …), plus two of ours:
// `--quick` adds one job of 1 launch, 3 warm-up and 10 measured iterations (every class then takes about
// 13 minutes on 2 cores), and `--paired` runs only the interleaved floor-versus-Tessera verification check.
// With neither, every benchmark runs with BenchmarkDotNet's default (long, accurate) job.
if (args.Contains("--paired"))
{
    PairedRun.Run(Console.Out);
    return;
}

var quick = args.Contains("--quick");
var arguments = args.Where(a => a != "--quick").ToArray();
if (!arguments.Any(a => a is "--filter" or "-f" || a.StartsWith("--filter=", StringComparison.Ordinal)))
{
    arguments = [.. arguments, "--filter", "*"];
}

IConfig config = new BenchmarkConfig();
if (quick)
{
    config = ((ManualConfig)config).AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10).WithId("Quick"));
}

BenchmarkSwitcher.FromAssembly(typeof(VerifyBenchmarks).Assembly).Run(arguments, config);
