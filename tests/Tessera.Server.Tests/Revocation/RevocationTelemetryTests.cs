using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Tessera.Telemetry;

namespace Tessera.Server.Tests.Revocation;

/// <summary>Revocations are counted by trigger, and no log line carries a token, a SET, a secret or the admin key.</summary>
public sealed class RevocationTelemetryTests : IClassFixture<TokenServiceFixture>
{
    private readonly TokenServiceFixture _server;
    private readonly RevocationKit _kit;

    public RevocationTelemetryTests(TokenServiceFixture server)
    {
        _server = server;
        _kit = new RevocationKit(server);
    }

    [Fact]
    public async Task Revocations_CountedByTrigger_LoggedWithoutTokensOrSecrets()
    {
        var lines = new ConcurrentQueue<string>();
        _server.Services.GetRequiredService<ILoggerFactory>().AddProvider(new CapturingProvider(lines));
        using var revoked = new MetricCollector<long>(_server.Services.GetRequiredService<IMeterFactory>(), TesseraTelemetry.MeterName, TesseraTelemetry.Revocations);
        var client = await _kit.ServiceClientAsync();
        var receiver = await _kit.ReceiverAsync();
        var subject = RevocationKit.Unique("user");
        var token = await _kit.ServiceTokenAsync(client);
        var exchanged = await _kit.ExchangedUserTokenAsync(client, subject);

        await _server.PostFormAsync("/connect/revoke", client.Id, client.Secret, ("token", token));
        await _server.PostFormAsync("/connect/revoke", client.Id, client.Secret, ("token", token + "x"));
        await _kit.TriggerAsync("account_compromise", subject: subject, reason: "phished");
        await _kit.AdminAsync(HttpMethod.Post, "/admin/triggers", new { @event = "termination", subject }, "Bearer " + _server.AdminKey + "x");
        var sets = await _kit.PollSetsAsync(receiver);
        await _kit.PollSetsAsync(receiver, ack: sets.Keys);

        var triggers = revoked.GetMeasurementSnapshot().Select(m => (string?)m.Tags[TesseraTelemetry.RevocationTrigger]).ToList();
        Assert.Equal(["rfc7009", "account_compromise"], triggers);
        Assert.NotEmpty(lines);
        var secrets = new[] { token, exchanged, client.Secret, receiver.Secret, _server.AdminKey, subject }.Concat(sets.Values);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }

    private sealed class CapturingProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(lines);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception) + " " + exception);
        }
    }
}
