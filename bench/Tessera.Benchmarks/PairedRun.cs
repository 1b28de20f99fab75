using System.Diagnostics;
using System.Globalization;

namespace Tessera.Benchmarks;

/// <summary>
/// <c>--paired</c>: the floor and Tessera's verifier measured in alternating short batches in one process,
/// reporting each one's fastest batch. On a shared machine other processes slow some batches down, never
/// speed one up, so the minima and their ratio are far steadier than two means taken minutes apart.
/// A cross-check of the BenchmarkDotNet run's verification ratios, not a replacement for it.
/// </summary>
internal static class PairedRun
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(6);

    public static void Run(TextWriter output)
    {
        output.WriteLine("| Alg | floor, fastest batch | Tessera, fastest batch | ratio | batches × runs |");
        output.WriteLine("|---|--:|--:|--:|--:|");
        foreach (var algorithm in Enum.GetValues<Alg>())
        {
            using var fixture = new AlgorithmFixture(algorithm.ToString());
            using var floor = new FloorPrimitives(fixture);
            var verifier = fixture.TesseraVerifier;
            var token = fixture.Token;
            Func<bool> floorVerify = floor.Verify;
            Func<bool> tesseraVerify = () => verifier.Verify(token).IsValid;

            // Warm both up (and let the JIT finish), then size batches to about 200 µs: short enough to
            // slip between other processes' time slices.
            for (var i = 0; i < 20; i++)
            {
                Batch(floorVerify, 50);
                Batch(tesseraVerify, 50);
            }

            var perBatch = Math.Max(1, (int)(200_000 / Batch(floorVerify, 200)));

            double floorBest = double.MaxValue, tesseraBest = double.MaxValue;
            var batches = 0;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < Duration)
            {
                floorBest = Math.Min(floorBest, Batch(floorVerify, perBatch));
                tesseraBest = Math.Min(tesseraBest, Batch(tesseraVerify, perBatch));
                batches++;
            }

            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {algorithm} | {floorBest:N0} ns | {tesseraBest:N0} ns | {tesseraBest / floorBest:F3} | {batches:N0} × {perBatch} |"));
        }
    }

    /// <summary>Runs <paramref name="operation"/> <paramref name="count"/> times; returns nanoseconds per run.</summary>
    private static double Batch(Func<bool> operation, int count)
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            if (!operation())
            {
                throw new InvalidOperationException("A verification failed during the paired run.");
            }
        }

        return (Stopwatch.GetTimestamp() - start) * (1e9 / Stopwatch.Frequency) / count;
    }
}
