using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Tessera.AspNetCore.Diagnostics;

/// <summary>
/// Turns the stream of rejected tokens into findings: per client, an estimate of clock drift from <c>exp</c> /
/// <c>nbf</c> / <c>iat</c> failures and streaks of wrong-audience or wrong-type tokens (client bugs); per source,
/// bursts of signature failures or algorithm-confusion attempts (likely attacks); and spikes of an unknown
/// <c>kid</c> (a rotation this API has not seen, or keys published late). Findings are logged, counted and listed
/// by <see cref="GetFindings"/>. Thread-safe; memory is bounded by <see cref="FailureSignalAnalyzerOptions"/>;
/// time comes only from the <see cref="TimeProvider"/>.
/// </summary>
public sealed class FailureSignalAnalyzer
{
    private const int MaxKeyLength = 128;

    private readonly FailureSignalAnalyzerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DiagnosticsMetrics? _metrics;
    private readonly Lock _gate = new();
    private readonly BoundedStateMap<ClientState> _clients;
    private readonly BoundedStateMap<SourceState> _sources;
    private readonly BoundedStateMap<SlidingWindowCounter> _unknownKids;
    private readonly FindingBook _findings;

    /// <summary>Creates an analyser; <paramref name="metrics"/> may be null (then findings are only logged and listed).</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message says which and how to fix it.</exception>
    public FailureSignalAnalyzer(IOptions<FailureSignalAnalyzerOptions> options, TimeProvider time, ILogger<FailureSignalAnalyzer>? logger = null, DiagnosticsMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options.Value;
        var problems = _options.Check();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(options));
        }

        _time = time;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _metrics = metrics;
        var o = _options;
        _clients = new(o.MaxTrackedClients, () => new ClientState(o.StreakThreshold));
        _sources = new(o.MaxTrackedSources, () => new SourceState(o.SignatureBurstThreshold, o.AlgorithmConfusionThreshold));
        _unknownKids = new(o.MaxTrackedKids, () => new SlidingWindowCounter(o.UnknownKidThreshold));
        _findings = new FindingBook(o.MaxFindings, o.FindingRetention, o.ReportInterval);
    }

    /// <summary>Takes one rejected token into account. Cheap, never throws for any signal, and holds no reference to it.</summary>
    public void Observe(in FailureSignal signal)
    {
        var now = _time.GetUtcNow();
        var ticks = now.UtcTicks;
        List<DiagnosticFinding>? report = null;
        lock (_gate)
        {
            if (Sanitize(signal.ClientId) is { } clientId)
            {
                ObserveClient(signal, clientId, now, ref report);
            }

            if (Sanitize(signal.Source) is { } source)
            {
                var state = _sources.Touch(source, ticks, _options.AttackWindow.Ticks);
                var window = _options.AttackWindow;
                if (signal.Reason == FailureReason.SignatureInvalid && state.Signatures.Add(ticks, window))
                {
                    _findings.Raise(FindingKinds.SignatureFailureBurst, "source", source, now, null, ref report,
                        $"At least {_options.SignatureBurstThreshold} tokens with invalid signatures from one source within {window}: likely forgery attempts; consider blocking the source.");
                }
                else if (IsAlgorithmConfusion(signal.Reason) && state.Confusion.Add(ticks, window))
                {
                    _findings.Raise(FindingKinds.AlgorithmConfusion, "source", source, now, null, ref report,
                        $"At least {_options.AlgorithmConfusionThreshold} tokens with alg none, a refused algorithm, or an embedded or referenced key from one source within {window}: likely an algorithm-confusion attack.");
                }
                else
                {
                    _findings.Touch(FindingKinds.SignatureFailureBurst, source, now, signal.Reason == FailureReason.SignatureInvalid);
                    _findings.Touch(FindingKinds.AlgorithmConfusion, source, now, IsAlgorithmConfusion(signal.Reason));
                }
            }

            if (signal.Reason == FailureReason.KeyNotFound)
            {
                var kid = Sanitize(signal.Kid) ?? "(none)";
                var window = _options.UnknownKidWindow;
                if (_unknownKids.Touch(kid, ticks, window.Ticks).Add(ticks, window))
                {
                    _findings.Raise(FindingKinds.UnknownKidSpike, "kid", kid, now, null, ref report,
                        $"At least {_options.UnknownKidThreshold} tokens within {window} name a key the issuer's JWK Set (as this API holds it) lacks: a key rotation this API has not picked up (JWKS cache), or a token service signing with a key it has not published yet.");
                }
            }
        }

        if (report is not null)
        {
            foreach (var finding in report)
            {
                LoggingExtensions.FindingRaised(_logger, finding.Kind, finding.SubjectType, finding.Key, finding.Count, finding.EstimatedOffsetSeconds ?? 0, finding.Summary);
                _metrics?.FindingRaised(finding.Kind);
            }
        }
    }

    /// <summary>The current findings, most recent first; findings older than the retention are dropped.</summary>
    public IReadOnlyList<DiagnosticFinding> GetFindings()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            return _findings.All(now);
        }
    }

    /// <summary>The clock offset estimate for <paramref name="clientId"/>, or null without enough recent samples.</summary>
    public ClockDriftEstimate? EstimateClockDrift(string clientId)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        var now = _time.GetUtcNow().UtcTicks;
        lock (_gate)
        {
            return _clients.TryGet(clientId, out var state) ? Estimate(clientId, state, now) : null;
        }
    }

    /// <summary>Every client with a clock estimate.</summary>
    public IReadOnlyList<ClockDriftEstimate> EstimateClockDrifts()
    {
        var now = _time.GetUtcNow().UtcTicks;
        lock (_gate)
        {
            return [.. _clients.Items.Select(c => Estimate(c.Key, c.State, now)).OfType<ClockDriftEstimate>()];
        }
    }

    internal int TrackedSources
    {
        get
        {
            lock (_gate)
            {
                return _sources.Count;
            }
        }
    }

    internal int TrackedClients
    {
        get
        {
            lock (_gate)
            {
                return _clients.Count;
            }
        }
    }

    internal int TrackedKids
    {
        get
        {
            lock (_gate)
            {
                return _unknownKids.Count;
            }
        }
    }

    private void ObserveClient(in FailureSignal signal, string clientId, DateTimeOffset now, ref List<DiagnosticFinding>? report)
    {
        var ticks = now.UtcTicks;
        var state = _clients.Touch(clientId, ticks, Math.Max(_options.ClockDriftWindow.Ticks, _options.StreakWindow.Ticks));
        switch (signal.Reason)
        {
            case FailureReason.Expired or FailureReason.NotYetValid or FailureReason.IssuedInFuture:
                if ((signal.IssuedAt ?? signal.NotBefore) is { } stamped)
                {
                    state.Clock.Add((stamped - now).TotalSeconds, ticks);
                    if (Estimate(clientId, state, ticks) is { } estimate && estimate.SpreadSeconds <= _options.ClockDriftMaxSpread.TotalSeconds)
                    {
                        var direction = estimate.OffsetSeconds >= 0 ? "ahead of" : "behind";
                        var cause = estimate.OffsetSeconds >= 0
                            ? "the issuer's clock runs ahead of this API's"
                            : "the issuer's clock runs behind this API's, or the client keeps tokens past their lifetime";
                        _findings.Raise(FindingKinds.ClockDrift, "client", clientId, now, estimate.OffsetSeconds, ref report,
                            $"Tokens of this client are stamped about {Math.Abs(estimate.OffsetSeconds):0} s {direction} this API's clock ({estimate.Samples} samples): {cause}. Fix the clocks with NTP; do not widen the clock skew.");
                    }
                }

                break;
            case FailureReason.WrongAudience:
                if (state.WrongAudience.Add(ticks, _options.StreakWindow))
                {
                    _findings.Raise(FindingKinds.WrongAudienceStreak, "client", clientId, now, null, ref report,
                        $"At least {_options.StreakThreshold} tokens for another audience from this client within {_options.StreakWindow}: the client asks for tokens for the wrong resource (a configuration bug).");
                }
                else
                {
                    _findings.Touch(FindingKinds.WrongAudienceStreak, clientId, now, true);
                }

                break;
            case FailureReason.WrongType:
                if (state.WrongType.Add(ticks, _options.StreakWindow))
                {
                    _findings.Raise(FindingKinds.WrongTypeStreak, "client", clientId, now, null, ref report,
                        $"At least {_options.StreakThreshold} tokens of the wrong kind from this client within {_options.StreakWindow} (an ID token, a service token or a user token where another kind is required): a client bug.");
                }
                else
                {
                    _findings.Touch(FindingKinds.WrongTypeStreak, clientId, now, true);
                }

                break;
        }
    }

    private ClockDriftEstimate? Estimate(string clientId, ClientState state, long now) =>
        state.Clock.Estimate(now, _options.ClockDriftWindow, _options.ClockDriftMinSamples) is { } e
            ? new ClockDriftEstimate(clientId, Math.Round(e.Median, 1), Math.Round(e.Spread, 1), e.Samples)
            : null;

    private static bool IsAlgorithmConfusion(FailureReason reason) =>
        reason is FailureReason.UnsupportedAlgorithm or FailureReason.AlgorithmNotAllowed or FailureReason.ForbiddenHeader;

    /// <summary>Keys come from the network or from tokens: printable ASCII only, bounded length.</summary>
    internal static string? Sanitize(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var span = value.AsSpan(0, Math.Min(value.Length, MaxKeyLength));
        return span.ContainsAnyExceptInRange(' ', '~')
            ? string.Concat(span.ToArray().Select(c => c is >= ' ' and <= '~' ? c : '?'))
            : span.Length == value.Length ? value : span.ToString();
    }

    private sealed class ClientState(int streakThreshold)
    {
        public ClockDriftTracker Clock { get; } = new();

        public SlidingWindowCounter WrongAudience { get; } = new(streakThreshold);

        public SlidingWindowCounter WrongType { get; } = new(streakThreshold);
    }

    private sealed class SourceState(int signatureThreshold, int confusionThreshold)
    {
        public SlidingWindowCounter Signatures { get; } = new(signatureThreshold);

        public SlidingWindowCounter Confusion { get; } = new(confusionThreshold);
    }
}
