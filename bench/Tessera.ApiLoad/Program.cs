using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.ApiLoad;
using Tessera.Clients;
using Tessera.Revocation;
using Tessera.SampleApi;

// Requests per second through the sample API's GET /service/status, on loopback: Tessera's handler (the sample
// exactly as it runs, revocation feed on) against ASP.NET Core's JwtBearer making the same checks. Both APIs, the
// token service and the load generator share this machine; the rounds alternate so neither side gets the warmer half.
//   dotnet run -c Release --project bench/Tessera.ApiLoad -- [--seconds 15] [--concurrency 32] [--rounds 2]
var seconds = Option("--seconds", 15);
var concurrency = Option("--concurrency", 32);
var rounds = Option("--rounds", 2);
const string Audience = "api://sample";

await using var tokenService = await TokenServiceUnderTest.StartAsync(FreePort());
var serviceSecret = await tokenService.AddClientAsync(new ClientRegistration
{
    ClientId = "demo-service",
    Type = ClientType.Service,
    GrantTypes = [GrantTypes.ClientCredentials],
    Audiences = [Audience],
    Scopes = ["orders:read", "service:status"],
});
var apiSecret = await tokenService.AddClientAsync(new ClientRegistration { ClientId = "sample-api", Type = ClientType.Service, GrantTypes = [GrantTypes.RevocationFeed] });
var token = await tokenService.ServiceTokenAsync("demo-service", serviceSecret);

var tesseraUrl = $"http://127.0.0.1:{FreePort()}";
var tessera = SampleApiHost.Create(
    ["--urls", tesseraUrl, "--issuer", tokenService.Issuer, "--client-secret", apiSecret],
    output: null,
    configure: b => b.Logging.ClearProviders());
await tessera.StartAsync();

var jwtBearerUrl = $"http://127.0.0.1:{FreePort()}";
var jwtBearer = JwtBearerTwin.Create(jwtBearerUrl, tokenService.Issuer, Audience, new InMemoryRevocationIndex());
await jwtBearer.StartAsync();

// Handler-only CPU cost per request, alternating, best of five (the least disturbed by other load on the machine).
var handlerOnly = new Dictionary<string, List<double>> { ["Tessera"] = [], ["JwtBearer"] = [] };
for (var i = 0; i < 5; i++)
{
    handlerOnly["Tessera"].Add(await HandlerOnly.MicrosecondsPerRequestAsync(tessera, "/service/status", token, 20_000));
    handlerOnly["JwtBearer"].Add(await HandlerOnly.MicrosecondsPerRequestAsync(jwtBearer, "/service/status", token, 20_000));
}

foreach (var (name, samples) in handlerOnly)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"authentication + authorization only, {name,-10} best {samples.Min():0.0} µs/request, median {samples.Order().ElementAt(2):0.0} µs"));
}

var targets = new[] { ("Tessera (AddTesseraBearer)", new Uri(tesseraUrl + "/service/status")), ("JwtBearer (same checks)", new Uri(jwtBearerUrl + "/service/status")) };
Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {concurrency} concurrent connections, {seconds} s per measurement, {rounds} rounds");
foreach (var (name, url) in targets)
{
    var warm = await LoadRun.RunAsync(name, url, token, concurrency, TimeSpan.FromSeconds(3));
    if (warm.Failures > 0 || warm.Requests == 0)
    {
        Console.Error.WriteLine($"{name}: {warm.Failures} failed requests during warm-up; the comparison would be meaningless.");
        return 1;
    }
}

var results = new List<LoadRun.Result>();
for (var round = 0; round < rounds; round++)
{
    var order = round % 2 == 0 ? targets : targets.Reverse().ToArray();
    foreach (var (name, url) in order)
    {
        var result = await LoadRun.RunAsync(name, url, token, concurrency, TimeSpan.FromSeconds(seconds));
        results.Add(result);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}  {name,-28} {result.RequestsPerSecond,10:N0} req/s   p50 {result.P50Ms:0.00} ms   p99 {result.P99Ms:0.00} ms   failures {result.Failures}"));
    }
}

Console.WriteLine();
Console.WriteLine("| handler | requests/s (mean of rounds) | p50 ms | p99 ms | failures |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (var group in results.GroupBy(r => r.Name))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {group.Key} | {group.Average(r => r.RequestsPerSecond):N0} | {group.Average(r => r.P50Ms):0.00} | {group.Average(r => r.P99Ms):0.00} | {group.Sum(r => r.Failures)} |"));
}

var ratio = results.Where(r => r.Name.StartsWith("Tessera", StringComparison.Ordinal)).Average(r => r.RequestsPerSecond)
    / results.Where(r => r.Name.StartsWith("JwtBearer", StringComparison.Ordinal)).Average(r => r.RequestsPerSecond);
var wins = Enumerable.Range(0, rounds).Count(r =>
    results.Single(x => x.Name.StartsWith("Tessera", StringComparison.Ordinal) && results.IndexOf(x) / 2 == r).RequestsPerSecond
    >= results.Single(x => x.Name.StartsWith("JwtBearer", StringComparison.Ordinal) && results.IndexOf(x) / 2 == r).RequestsPerSecond);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\nTessera / JwtBearer throughput: {ratio:0.000} (mean of rounds); Tessera ahead in {wins} of {rounds} rounds"));

await tessera.StopAsync();
await jwtBearer.StopAsync();
return results.Sum(r => r.Failures) > 0 ? 1 : 0;

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}
