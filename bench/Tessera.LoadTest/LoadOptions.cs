using System.Globalization;

namespace Tessera.LoadTest;

/// <summary>The command line of the load test.</summary>
internal sealed class LoadOptions
{
    public const string Usage = """
        Usage: dotnet bench/Tessera.LoadTest/bin/Release/net10.0/Tessera.LoadTest.dll [options]
               (build first: dotnet build -c Release src/Tessera.Server; dotnet build -c Release bench/OpenIddictComparison;
                dotnet build -c Release bench/Tessera.LoadTest)

          --targets LIST       which servers, in order (default floor,tessera,openiddict-storage,openiddict-nostorage):
                                 floor                 a bare ASP.NET Core endpoint returning constant JSON (the HTTP floor)
                                 tessera               src/Tessera.Server, logging at the level below
                                 tessera-infolog       src/Tessera.Server with its shipped appsettings (Information logs)
                                 openiddict-storage    OpenIddict 7, EF Core SQLite, token storage on
                                 openiddict-nostorage  OpenIddict 7, EF Core SQLite, token storage off
          --operations LIST    token,introspect (default both; the floor always runs its one endpoint)
          --concurrency LIST   concurrent requests in flight (default 16,64)
          --warmup SECONDS     warm-up per run, not measured (default 5)
          --duration SECONDS   measured time per run (default 15)
          --log-level LEVEL    the servers' Logging:LogLevel:Default (default Warning), the same for every server
          --markdown FILE      also write the result table to FILE
          --tessera-server DLL, --openiddict-server DLL   built servers (default: the Release outputs in this repository)

        Each server runs as a child process on 127.0.0.1 with a fresh temporary data directory and is stopped at the end.
        Only loopback addresses are used; every run stops by itself after warm-up plus duration.
        """;

    public IReadOnlyList<string> Targets { get; private set; } = ["floor", "tessera", "openiddict-storage", "openiddict-nostorage"];

    public IReadOnlyList<string> Operations { get; private set; } = ["token", "introspect"];

    public IReadOnlyList<int> Concurrency { get; private set; } = [16, 64];

    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(5);

    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(15);

    public string LogLevel { get; private set; } = "Warning";

    public string? Markdown { get; private set; }

    public string? TesseraServer { get; private set; }

    public string? OpenIddictServer { get; private set; }

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LoadOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--targets":
                    options.Targets = List(Value());
                    var unknown = options.Targets.Except(["floor", "tessera", "tessera-infolog", "openiddict-storage", "openiddict-nostorage"]).ToList();
                    if (unknown.Count > 0)
                    {
                        throw new ArgumentException($"Unknown target(s): {string.Join(", ", unknown)}.");
                    }

                    break;
                case "--operations":
                    options.Operations = List(Value());
                    if (options.Operations.Except(["token", "introspect"]).Any())
                    {
                        throw new ArgumentException("--operations takes token and/or introspect.");
                    }

                    break;
                case "--concurrency":
                    options.Concurrency = [.. List(Value()).Select(v => Bounded(int.Parse(v, CultureInfo.InvariantCulture), 1, 1024, name))];
                    break;
                case "--warmup":
                    options.Warmup = TimeSpan.FromSeconds(Bounded(double.Parse(Value(), CultureInfo.InvariantCulture), 0, 600, name));
                    break;
                case "--duration":
                    options.Duration = TimeSpan.FromSeconds(Bounded(double.Parse(Value(), CultureInfo.InvariantCulture), 1, 600, name));
                    break;
                case "--log-level":
                    options.LogLevel = Value();
                    break;
                case "--markdown":
                    options.Markdown = Value();
                    break;
                case "--tessera-server":
                    options.TesseraServer = Value();
                    break;
                case "--openiddict-server":
                    options.OpenIddictServer = Value();
                    break;
                default:
                    throw new ArgumentException($"Unknown option {name}.");
            }
        }

        return options;
    }

    private static string[] List(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static T Bounded<T>(T value, T min, T max, string name)
        where T : IComparable<T> =>
        value.CompareTo(min) >= 0 && value.CompareTo(max) <= 0 ? value : throw new ArgumentException($"{name} must be from {min} to {max}.");
}
