using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Tessera.Clients;
using Tessera.Server.Sessions;
using Tessera.Telemetry;

namespace Tessera.Server.Tests.Sessions;

/// <summary>Sign-in, codes and refresh are counted by outcome; no log line or metric carries a code, a token, a cookie, a password or a user.</summary>
public sealed class SessionTelemetryTests(SessionServer server) : IClassFixture<SessionServer>
{
    [Fact]
    public async Task CodeFlowRefreshAndReuse_CountedAndLoggedWithoutSecrets()
    {
        var lines = new ConcurrentQueue<string>();
        var services = server.Server.Services;
        services.GetRequiredService<ILoggerFactory>().AddProvider(new CapturingProvider(lines));
        var meters = services.GetRequiredService<IMeterFactory>();
        using var reuse = new MetricCollector<long>(meters, TesseraTelemetry.MeterName, TesseraTelemetry.RefreshReuseDetected);
        using var refreshes = new MetricCollector<long>(meters, TesseraTelemetry.MeterName, SessionMetrics.RefreshPresented);
        using var signIns = new MetricCollector<long>(meters, TesseraTelemetry.MeterName, SessionMetrics.SignInAttempts);
        using var codeReuse = new MetricCollector<long>(meters, TesseraTelemetry.MeterName, SessionMetrics.CodeReuseDetected);
        var (client, user) = (await server.AddClientAsync(ClientType.Web), await server.AddUserAsync());
        using var browser = server.NewBrowser();

        Assert.Equal(401, (await browser.SubmitLoginAsync(await browser.GetAsync("/login"), user.Username, "wrong password here")).Status);
        var (verifier, challenge) = OAuth.Pkce();
        var redirect = await browser.AuthorizeAsync(OAuth.AuthorizeUrl(client, challenge), user);
        var code = OAuth.QueryOf(redirect)["code"];
        var (_, first) = await OAuth.ExchangeAsync(server, client, code, verifier);
        var token0 = first.GetProperty("refresh_token").GetString()!;
        var (_, second) = await OAuth.RefreshAsync(server, client, token0);
        var token1 = second.GetProperty("refresh_token").GetString()!;
        await OAuth.RefreshAsync(server, client, token0); // a retry within the grace window
        var (_, third) = await OAuth.RefreshAsync(server, client, token1);
        var token2 = third.GetProperty("refresh_token").GetString()!;
        await OAuth.RefreshAsync(server, client, token0); // older than the predecessor: reuse
        await OAuth.ExchangeAsync(server, client, code, verifier); // the code again

        Assert.Equal(["failure", "success"], signIns.GetMeasurementSnapshot().Select(m => (string?)m.Tags[TesseraTelemetry.Result]));
        Assert.Contains(refreshes.GetMeasurementSnapshot(), m => (string?)m.Tags[TesseraTelemetry.Result] == "rotated" && (string?)m.Tags[SessionMetrics.ClientType] == "web");
        Assert.Contains(refreshes.GetMeasurementSnapshot(), m => (string?)m.Tags[TesseraTelemetry.Result] == "retried");
        Assert.Contains(refreshes.GetMeasurementSnapshot(), m => (string?)m.Tags[TesseraTelemetry.Result] == "reused");
        Assert.Equal(1, reuse.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(1, codeReuse.GetMeasurementSnapshot().EvaluateAsCounter());

        var session = browser.Cookies.GetCookies(server.Server.BaseAddress)["tessera-session"]!.Value;
        var secrets = new[]
        {
            code, verifier, token0, token1, token2, session, user.Password, client.Secret!,
            first.GetProperty("access_token").GetString()!, first.GetProperty("id_token").GetString()!, third.GetProperty("access_token").GetString()!,
        };
        Assert.NotEmpty(lines);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(lines, line => line.Contains(user.Username, StringComparison.Ordinal));
        var tagValues = new[] { reuse, refreshes, signIns, codeReuse }.SelectMany(c => c.GetMeasurementSnapshot()).SelectMany(m => m.Tags.Values).Select(v => v?.ToString() ?? "");
        Assert.DoesNotContain(tagValues, v => v.Contains(user.Subject, StringComparison.Ordinal) || v.Contains(client.Id, StringComparison.Ordinal));
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
                lines.Enqueue(formatter(state, exception) + exception);
        }
    }
}
