using BenchmarkDotNet.Running;
using Tessera.Benchmarks;

// Every BenchmarkDotNet switch works: `--job short` for the quick run, `--filter *Verify*` for one class.
// With no arguments it runs every benchmark with the default (long, accurate) job.
var arguments = args.Length == 0 ? ["--filter", "*"] : args;
BenchmarkSwitcher.FromAssembly(typeof(VerifyBenchmarks).Assembly).Run(arguments, new BenchmarkConfig());
