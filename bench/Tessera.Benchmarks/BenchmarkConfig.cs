using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Reports;

namespace Tessera.Benchmarks;

/// <summary>
/// Memory diagnoser, ratios to the floor (the baseline method), and the filter that leaves out what a
/// library does not support. Jobs and further filters come from the command line (<c>--job short</c>).
/// </summary>
internal sealed class BenchmarkConfig : ManualConfig
{
    public BenchmarkConfig()
    {
        Add(DefaultConfig.Instance);
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Median);
        AddFilter(new SimpleFilter(IsSupported));
        HideColumns(Column.Error, Column.StdDev, Column.Gen0, Column.Gen1, Column.Gen2);
        WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Value));
        WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
    }

    private static bool IsSupported(BenchmarkDotNet.Running.BenchmarkCase benchmark)
    {
        // Benchmarks without an algorithm parameter (the revocation lookup) always run.
        return !benchmark.Parameters.Items.Any(p => p.Name == "Alg")
            || (benchmark.Parameters["Alg"] is Alg algorithm && Libraries.Supports(benchmark.Descriptor.WorkloadMethod.Name, algorithm));
    }
}
