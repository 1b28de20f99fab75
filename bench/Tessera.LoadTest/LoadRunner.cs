using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace Tessera.LoadTest;

/// <summary>One kind of request: a POST with a fixed form body, whose success is a 200 whose body contains <see cref="Marker"/>.</summary>
internal sealed record Scenario(string Operation, Uri Url, string Form, AuthenticationHeaderValue? Authorization, string Marker);

/// <summary>What one run measured.</summary>
internal sealed record RunResult(
    string Target,
    string Operation,
    int Concurrency,
    long Requests,
    long Errors,
    TimeSpan Elapsed,
    double P50Ms,
    double P99Ms,
    TimeSpan ServerCpu,
    TimeSpan GeneratorCpu,
    double LoadAverage)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;

    public double ServerCpuMsPerRequest => Requests == 0 ? double.NaN : ServerCpu.TotalMilliseconds / Requests;

    public double GeneratorCpuMsPerRequest => Requests == 0 ? double.NaN : GeneratorCpu.TotalMilliseconds / Requests;

    /// <summary>Cores the server kept busy on average during the measured window.</summary>
    public double ServerCores => ServerCpu.TotalSeconds / Elapsed.TotalSeconds;
}

/// <summary>
/// A closed-loop load generator: <c>concurrency</c> workers each send the next request as soon as the previous one
/// answers, for a warm-up (discarded) and then a measured window. Bounded: every worker stops at the window's end,
/// and every request times out after 10 s.
/// </summary>
internal static class LoadRunner
{
    private const int Warmup = 0;
    private const int Measuring = 1;
    private const int Stopped = 2;

    private static readonly MediaTypeHeaderValue FormContentType = new("application/x-www-form-urlencoded");

    public static async Task<RunResult> RunAsync(string target, ServerProcess server, Scenario scenario, int concurrency, TimeSpan warmup, TimeSpan duration)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        var body = Encoding.ASCII.GetBytes(scenario.Form);
        var marker = Encoding.ASCII.GetBytes(scenario.Marker);
        var phase = Warmup;
        var latencies = new List<long>[concurrency];
        var errors = new long[concurrency];

        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            var index = w;
            latencies[index] = new List<long>(1 << 16);
            workers[index] = Task.Run(async () =>
            {
                while (Volatile.Read(ref phase) != Stopped)
                {
                    var startedIn = Volatile.Read(ref phase);
                    var started = Stopwatch.GetTimestamp();
                    var ok = await SendAsync(http, scenario, body, marker);
                    var ended = Stopwatch.GetTimestamp();
                    if (startedIn == Measuring && Volatile.Read(ref phase) == Measuring)
                    {
                        if (ok)
                        {
                            latencies[index].Add(ended - started);
                        }
                        else
                        {
                            errors[index]++;
                        }
                    }
                }
            });
        }

        await Task.Delay(warmup);
        var loadAverage = LoadAverage();
        var self = Process.GetCurrentProcess();
        var serverCpu0 = server.CpuTime;
        self.Refresh();
        var selfCpu0 = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref phase, Measuring);

        await Task.Delay(duration);

        Volatile.Write(ref phase, Stopped);
        var elapsed = clock.Elapsed;
        var serverCpu = server.CpuTime - serverCpu0;
        self.Refresh();
        var selfCpu = self.TotalProcessorTime - selfCpu0;
        await Task.WhenAll(workers);

        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new RunResult(
            target,
            scenario.Operation,
            concurrency,
            all.Length,
            errors.Sum(),
            elapsed,
            Percentile(all, 0.50),
            Percentile(all, 0.99),
            serverCpu,
            selfCpu,
            loadAverage);
    }

    /// <summary>Sends one request; true for a 200 whose body contains the marker.</summary>
    public static async Task<bool> SendAsync(HttpClient http, Scenario scenario, byte[] body, byte[] marker)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, scenario.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = FormContentType;
        request.Headers.Authorization = scenario.Authorization;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            var content = await response.Content.ReadAsByteArrayAsync();
            return response.IsSuccessStatusCode && content.AsSpan().IndexOf(marker) >= 0;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    private static double Percentile(long[] sorted, double p)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }

    /// <summary>The machine's 1-minute load average (Linux), to show how busy the box was; NaN elsewhere.</summary>
    public static double LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return double.NaN;
        }
        catch (UnauthorizedAccessException)
        {
            return double.NaN;
        }
    }
}
