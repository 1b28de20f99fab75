namespace Tessera.AspNetCore.Diagnostics;

/// <summary>
/// Thresholds and memory bounds of the <see cref="FailureSignalAnalyzer"/>. The defaults suit a busy API; every
/// bound is hard: the analyser never holds more than <see cref="MaxTrackedClients"/> clients,
/// <see cref="MaxTrackedSources"/> sources and <see cref="MaxTrackedKids"/> unknown key ids, each with a fixed number of samples.
/// </summary>
public sealed class FailureSignalAnalyzerOptions
{
    /// <summary>How far back clock samples count. Default 15 minutes.</summary>
    public TimeSpan ClockDriftWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Time failures from one client needed before a clock drift is reported. Default 5.</summary>
    public int ClockDriftMinSamples { get; set; } = 5;

    /// <summary>Largest median absolute deviation of the samples for them to count as one steady offset. Default 10 s.</summary>
    public TimeSpan ClockDriftMaxSpread { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The window of the per-source attack counters. Default 1 minute.</summary>
    public TimeSpan AttackWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Signature failures from one source within <see cref="AttackWindow"/> that make a burst. Default 10.</summary>
    public int SignatureBurstThreshold { get; set; } = 10;

    /// <summary><c>alg</c>-<c>none</c>, refused-algorithm or key-header tokens from one source within <see cref="AttackWindow"/> that make an attack. Default 3.</summary>
    public int AlgorithmConfusionThreshold { get; set; } = 3;

    /// <summary>The window of the unknown-<c>kid</c> counter. Default 1 minute.</summary>
    public TimeSpan UnknownKidWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Tokens naming one unknown <c>kid</c> within <see cref="UnknownKidWindow"/> that make a spike. Default 10.</summary>
    public int UnknownKidThreshold { get; set; } = 10;

    /// <summary>The window of the per-client wrong-audience and wrong-type streaks. Default 5 minutes.</summary>
    public TimeSpan StreakWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Rejections of one kind from one client within <see cref="StreakWindow"/> that make a streak. Default 5.</summary>
    public int StreakThreshold { get; set; } = 5;

    /// <summary>Most clients tracked at once (least recently seen are dropped first). Default 1,000.</summary>
    public int MaxTrackedClients { get; set; } = 1_000;

    /// <summary>Most network sources tracked at once (least recently seen are dropped first). Default 10,000.</summary>
    public int MaxTrackedSources { get; set; } = 10_000;

    /// <summary>Most unknown key ids tracked at once. Default 100.</summary>
    public int MaxTrackedKids { get; set; } = 100;

    /// <summary>Most findings kept (least recently seen are dropped first). Default 200.</summary>
    public int MaxFindings { get; set; } = 200;

    /// <summary>How long a finding is kept after its last contributing rejection. Default 1 hour.</summary>
    public TimeSpan FindingRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often a finding that keeps growing is logged again. Default 5 minutes.</summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromMinutes(5);

    internal List<string> Check()
    {
        var problems = new List<string>();
        Positive(ClockDriftWindow, nameof(ClockDriftWindow));
        Positive(ClockDriftMaxSpread, nameof(ClockDriftMaxSpread));
        Positive(AttackWindow, nameof(AttackWindow));
        Positive(UnknownKidWindow, nameof(UnknownKidWindow));
        Positive(StreakWindow, nameof(StreakWindow));
        Positive(FindingRetention, nameof(FindingRetention));
        Positive(ReportInterval, nameof(ReportInterval));
        Range(ClockDriftMinSamples, 1, ClockDriftTracker.Capacity, nameof(ClockDriftMinSamples));
        Range(SignatureBurstThreshold, 1, 10_000, nameof(SignatureBurstThreshold));
        Range(AlgorithmConfusionThreshold, 1, 10_000, nameof(AlgorithmConfusionThreshold));
        Range(UnknownKidThreshold, 1, 10_000, nameof(UnknownKidThreshold));
        Range(StreakThreshold, 1, 10_000, nameof(StreakThreshold));
        Range(MaxTrackedClients, 1, 1_000_000, nameof(MaxTrackedClients));
        Range(MaxTrackedSources, 1, 1_000_000, nameof(MaxTrackedSources));
        Range(MaxTrackedKids, 1, 100_000, nameof(MaxTrackedKids));
        Range(MaxFindings, 1, 100_000, nameof(MaxFindings));
        return problems;

        void Positive(TimeSpan value, string name)
        {
            if (value <= TimeSpan.Zero)
            {
                problems.Add($"Tessera diagnostics: {name} must be positive; leave it unset for the default.");
            }
        }

        void Range(int value, int min, int max, string name)
        {
            if (value < min || value > max)
            {
                problems.Add($"Tessera diagnostics: {name} is {value}; use {min} to {max} (the bound keeps the analyser's memory fixed).");
            }
        }
    }
}
