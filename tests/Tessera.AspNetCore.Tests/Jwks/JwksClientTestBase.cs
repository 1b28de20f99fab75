using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Tessera.AspNetCore.Jwks;
using Tessera.Jose;

namespace Tessera.AspNetCore.Tests.Jwks;

/// <summary>Per test: a real loopback server, a fake clock, captured logs and captured metrics.</summary>
public abstract class JwksClientTestBase : IAsyncLifetime
{
    private readonly ServiceProvider _services;
    private readonly List<IDisposable> _disposables = [];

    protected JwksClientTestBase()
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        Logs = new FakeLogCollector();
        LoggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(Logs)));
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        MeterFactory = _services.GetRequiredService<IMeterFactory>();
        Fetches = new MetricCollector<long>(MeterFactory, "Tessera", "tessera.jwks.fetches");
        Http = new HttpClient();
    }

    internal JwksTestServer Server { get; private set; } = null!;

    protected FakeTimeProvider Time { get; }

    protected FakeLogCollector Logs { get; }

    protected ILoggerFactory LoggerFactory { get; }

    protected IMeterFactory MeterFactory { get; }

    protected MetricCollector<long> Fetches { get; }

    protected HttpClient Http { get; }

    public async Task InitializeAsync() => Server = await JwksTestServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }

        await Server.DisposeAsync();
        Http.Dispose();
        Fetches.Dispose();
        LoggerFactory.Dispose();
        await _services.DisposeAsync();
    }

    protected JwksClient CreateClient(Action<JwksClientOptions>? configure = null)
    {
        var options = new JwksClientOptions
        {
            JwksUri = Server.JwksUri,
            AllowedAlgorithms = [JwsAlgorithm.ES256],
            MaxStaleness = TimeSpan.FromMinutes(10),
        };
        configure?.Invoke(options);
        var client = new JwksClient(options, Http, Time, LoggerFactory, MeterFactory);
        _disposables.Add(client);
        return client;
    }

    /// <summary>The error.type of every failed fetch so far, in order.</summary>
    protected IReadOnlyList<string?> FailureTypes() =>
        [.. Fetches.GetMeasurementSnapshot()
            .Where(m => Equals(m.Tags["tessera.result"], "failure"))
            .Select(m => m.Tags["error.type"] as string)];

    protected int SuccessfulFetches() =>
        Fetches.GetMeasurementSnapshot().Count(m => Equals(m.Tags["tessera.result"], "success"));

    /// <summary>Waits (real time, at most 10 s) until <paramref name="count"/> fetches have finished.</summary>
    protected async Task WaitForFetchesAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (Fetches.GetMeasurementSnapshot().Count < count)
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    protected IReadOnlyList<FakeLogRecord> LogsWithId(int id) => [.. Logs.GetSnapshot().Where(r => r.Id.Id == id)];

    protected string AllLogText() => string.Join("\n", Logs.GetSnapshot().Select(r => r.Message + " " + r.Exception));
}
