using System.Diagnostics;
using System.Text.Json;
using Tessera.Browser.Tests.Support;

namespace Tessera.Browser.Tests.Browser;

/// <summary>
/// Headless Chromium (the Debian package, <c>/usr/bin/chromium</c>) driven by Playwright (<c>tests/browser/bff-flow.mjs</c>)
/// through the demo BFF against the real token service and sample API: sign in, call the API, the cookie's flags, no
/// token readable from JavaScript, and calls without the anti-CSRF header refused. <c>scripts/test.sh</c> installs both.
/// </summary>
public sealed class ChromiumBffTests(BffEnvironment environment) : IClassFixture<BffEnvironment>
{
    private static readonly string Chromium = Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium";

    [Fact]
    public async Task SignInCallApiAndLogout_InHeadlessChromium_PassesEveryCheck()
    {
        var scripts = Path.Combine(RepositoryRoot(), "tests", "browser");
        Assert.True(File.Exists(Chromium), $"Chromium is not at {Chromium}: run scripts/test.sh, or apt-get install -y chromium.");
        Assert.True(Directory.Exists(Path.Combine(scripts, "node_modules", "playwright-core")), "Run `npm ci` in tests/browser (scripts/test.sh does).");

        var (exitCode, output, error) = await RunNodeAsync(scripts, "bff-flow.mjs", new Dictionary<string, string>
        {
            ["BFF_URL"] = environment.BffAddress,
            ["ISSUER"] = environment.Issuer,
            ["USERNAME"] = BffEnvironment.Username,
            ["PASSWORD"] = environment.Password,
            ["CHROMIUM"] = Chromium,
        });

        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith('{'));
        Assert.True(line is not null, $"no result from the browser script (exit {exitCode}): {error}");
        using var result = JsonDocument.Parse(line);
        var failed = result.RootElement.GetProperty("checks").EnumerateArray()
            .Where(c => !c.GetProperty("ok").GetBoolean())
            .Select(c => $"{c.GetProperty("name").GetString()} ({c.GetProperty("detail").GetString()})")
            .ToList();
        var scriptError = result.RootElement.GetProperty("error").GetString();
        Assert.True(scriptError is null, $"browser script stopped: {scriptError}; passed so far: {Passed(result)}");
        Assert.Empty(failed);
        foreach (var expected in new[]
                 {
                     "signed_in_shows_user", "session_cookie_accepted", "session_cookie_httponly", "session_cookie_secure",
                     "session_cookie_samesite_strict", "document_cookie_has_no_token", "local_storage_has_no_token",
                     "session_storage_has_no_token", "api_call_through_bff", "api_without_anti_csrf_header_refused",
                     "cross_origin_call_with_header_blocked", "logout_removes_session_cookie",
                 })
        {
            Assert.Contains(expected, Passed(result));
        }

        Assert.Equal(0, exitCode);
    }

    private static List<string> Passed(JsonDocument result) =>
        [.. result.RootElement.GetProperty("checks").EnumerateArray().Where(c => c.GetProperty("ok").GetBoolean()).Select(c => c.GetProperty("name").GetString()!)];

    private static async Task<(int ExitCode, string Output, string Error)> RunNodeAsync(string directory, string script, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("node", script)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the browser script did not finish in 2 minutes");
        }

        return (process.ExitCode, await output, await error);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Tessera.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Tessera.slnx not found above the test's directory.");
    }
}
