using Tessera.Cli.CommandLine;
using Tessera.Jose;
using Tessera.Keys.Ring;
using Tessera.Storage.Sqlite;
using Tessera.Storage.Sqlite.Keys;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera keys</c>: manage the token service's key ring in its SQLite store.</summary>
internal sealed class KeysCommand : ICommand
{
    private static readonly string[] Options =
        ["--db", "--kek-file", "--alg", "--out", "--rotation-period", "--jwks-max-age", "--clock-skew", "--max-token-lifetime"];

    private static readonly string[] Flags = ["--json", "--unsafe-development-key"];

    public string Name => "keys";

    public string Summary => "Generate, list, rotate, remove and publish the token service's signing keys";

    public string Help => """
        Usage: tessera keys generate    --db PATH [--alg ALG[,ALG…]] [KEK] [POLICY] [--json]
               tessera keys list        --db PATH [--json]
               tessera keys rotate      --db PATH [--alg ALG] [KEK] [POLICY] [--json]
               tessera keys remove      --db PATH KID [KEK] [POLICY] [--json]
               tessera keys export-jwks --db PATH [--out FILE]

          generate     create the database if needed and give each algorithm a key (default ES256);
                       on an empty ring it signs at once, added to a running ring it waits the publish-ahead time
          list         every key with its state and transition times
          rotate       publish a new key now; it starts signing after the publish-ahead time
          remove KID   emergency: remove the key from the JWKS at once (tokens it signed are rejected);
                       if it was signing, its successor (or a new key) takes over at once
          export-jwks  the JWK Set of the published keys (public members only)

        KEK (needed by generate, rotate and remove; private keys are stored encrypted with it):
          --kek-file FILE           a file holding 32 random bytes in base64
                                    (default: the environment variable TESSERA_KEK)
          --unsafe-development-key  use the public development KEK when none is set (local development only)

        POLICY (give the values the token service uses; durations like 30d, 12h, 5m, 90s):
          --rotation-period D     how long a key signs (default 30d)
          --jwks-max-age D        how long verifiers cache the JWKS (default 1h)
          --clock-skew D          clock difference tolerated (default 5m)
          --max-token-lifetime D  longest lifetime of a signed token (default 24h)

        Exit codes: 0 done, 2 the command is wrong (arguments, database, KEK).

        Examples:
          export TESSERA_KEK="$(openssl rand -base64 32)"
          tessera keys generate --db tessera.db --alg ES256
          tessera keys rotate --db tessera.db
          tessera keys remove --db tessera.db 0sQ3…kid
          tessera keys export-jwks --db tessera.db --out jwks.json
        """;

    public int Run(IReadOnlyList<string> args, CliConsole console)
    {
        if (args.Count == 0)
        {
            throw new UsageException("Missing subcommand: generate, list, rotate, remove or export-jwks.");
        }

        var parsed = Arguments.Parse(args.Skip(1), Options, Flags);
        var output = new KeysOutput(console, parsed.Has("--json"));
        try
        {
            return args[0] switch
            {
                "generate" => Generate(parsed, console, output),
                "list" => List(parsed, console, output),
                "rotate" => Rotate(parsed, console, output),
                "remove" => Remove(parsed, console, output),
                "export-jwks" => ExportJwks(parsed, console),
                _ => throw new UsageException($"Unknown subcommand '{args[0]}'. Use generate, list, rotate, remove or export-jwks."),
            };
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            throw new UsageException(e.Message);
        }
    }

    private static int Generate(Arguments parsed, CliConsole console, KeysOutput output)
    {
        NoPositionals(parsed);
        var database = SqliteDatabase.Open(parsed.Required("--db"));
        var store = new SqliteKeyStore(database, Kek(parsed));
        var live = LiveAlgorithms(store, console);
        var wanted = Algorithms(parsed);
        var algorithms = live.Concat(wanted.Count == 0 && live.Count == 0 ? [JwsAlgorithm.ES256] : wanted).Distinct().ToArray();
        var ring = new KeyRing(store, Policy(parsed, algorithms), console.Time);
        var before = store.LoadAsync().GetAwaiter().GetResult().Keys.Select(k => k.Kid).ToHashSet(StringComparer.Ordinal);
        var snapshot = ring.RefreshAsync().GetAwaiter().GetResult();
        output.Keys(snapshot, snapshot.Keys.Where(k => !before.Contains(k.Kid)).Select(k => $"created {k}"));
        return TesseraCli.ExitValid;
    }

    private static int List(Arguments parsed, CliConsole console, KeysOutput output)
    {
        NoPositionals(parsed);
        var snapshot = ReadOnly(parsed, console);
        output.Keys(snapshot, []);
        return TesseraCli.ExitValid;
    }

    private static int Rotate(Arguments parsed, CliConsole console, KeysOutput output)
    {
        NoPositionals(parsed);
        var (store, live) = Existing(parsed, console);
        var wanted = Algorithms(parsed);
        var unknown = wanted.Except(live).ToArray();
        if (unknown.Length > 0)
        {
            throw new UsageException($"The ring has no {string.Join(", ", unknown.Select(a => a.Name))} key to rotate; it holds {string.Join(", ", live)}. Add one with 'tessera keys generate --alg …'.");
        }

        var ring = new KeyRing(store, Policy(parsed, live), console.Time);
        var before = ring.ReadAsync().GetAwaiter().GetResult().Keys.Select(k => k.Kid).ToHashSet(StringComparer.Ordinal);
        var snapshot = wanted.Count == 0
            ? ring.RotateAsync().GetAwaiter().GetResult()
            : wanted.Select(a => ring.RotateAsync(a).GetAwaiter().GetResult()).Last();
        var created = snapshot.Keys.Where(k => !before.Contains(k.Kid)).Select(k => $"published {k}; it signs from {KeysOutput.Time(k.ActivatesAt)}");
        output.Keys(snapshot, created.DefaultIfEmpty("a rotation is already under way; nothing changed"));
        return TesseraCli.ExitValid;
    }

    private static int Remove(Arguments parsed, CliConsole console, KeysOutput output)
    {
        var kid = parsed.SinglePositional("KID of the key to remove");
        var (store, live) = Existing(parsed, console);
        var ring = new KeyRing(store, Policy(parsed, live), console.Time);
        var snapshot = ring.RemoveAsync(kid).GetAwaiter().GetResult();
        var signing = live.Select(a => snapshot.TryGetSigningKey(a, out var key) ? $"{a.Name} now signs with {key.Kid}" : null).OfType<string>();
        output.Keys(snapshot, signing.Prepend($"removed {kid}; tokens it signed are rejected once verifiers refresh their JWKS"));
        return TesseraCli.ExitValid;
    }

    private static int ExportJwks(Arguments parsed, CliConsole console)
    {
        NoPositionals(parsed);
        var json = ReadOnly(parsed, console).Jwks.Json;
        var path = parsed.Value("--out");
        if (path is null)
        {
            console.Out.WriteLine(json);
            return TesseraCli.ExitValid;
        }

        try
        {
            File.WriteAllText(path, json + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot write '{path}': {e.Message}");
        }

        return TesseraCli.ExitValid;
    }

    private static KeyRingSnapshot ReadOnly(Arguments parsed, CliConsole console)
    {
        var store = SqliteKeyStore.PublicKeysOnly(OpenExisting(parsed));
        var algorithms = LiveAlgorithms(store, console);
        var policy = Policy(parsed, algorithms.Count == 0 ? [JwsAlgorithm.ES256] : algorithms);
        return new KeyRing(store, policy, console.Time).ReadAsync().GetAwaiter().GetResult();
    }

    private static (SqliteKeyStore Store, IReadOnlyList<JwsAlgorithm> Live) Existing(Arguments parsed, CliConsole console)
    {
        var store = new SqliteKeyStore(OpenExisting(parsed), Kek(parsed));
        var live = LiveAlgorithms(store, console);
        return live.Count > 0
            ? (store, live)
            : throw new UsageException("The key ring is empty. Create its first key with 'tessera keys generate'.");
    }

    private static SqliteDatabase OpenExisting(Arguments parsed)
    {
        var path = parsed.Required("--db");
        return File.Exists(path)
            ? SqliteDatabase.Open(path)
            : throw new UsageException($"The database '{path}' does not exist. Create it with 'tessera keys generate --db {path}'.");
    }

    private static List<JwsAlgorithm> LiveAlgorithms(IKeyStore store, CliConsole console)
    {
        var now = console.Time.GetUtcNow();
        return store.LoadAsync().GetAwaiter().GetResult().Keys
            .Where(k => k.IsPublishedAt(now))
            .Select(k => k.Algorithm)
            .Distinct()
            .ToList();
    }

    private static KeyEncryptionKey Kek(Arguments parsed)
    {
        var options = new KeyEncryptionOptions
        {
            KeyFile = parsed.Value("--kek-file"),
            AllowUnsafeDevelopmentKey = parsed.Has("--unsafe-development-key"),
        };
        return options.Validate() is { } problem
            ? throw new UsageException($"{problem} On the command line: --kek-file FILE, or --unsafe-development-key for local development.")
            : options.LoadKey();
    }

    private static List<JwsAlgorithm> Algorithms(Arguments parsed) =>
        parsed.Values("--alg").Select(JwsAlgorithm.Get).Distinct().ToList();

    private static RotationPolicy Policy(Arguments parsed, IReadOnlyList<JwsAlgorithm> algorithms)
    {
        var defaults = RotationPolicy.Default;
        var cacheLifetime = Duration.Parse(parsed, "--jwks-max-age") ?? defaults.JwksCacheLifetime;
        return new RotationPolicy
        {
            Algorithms = algorithms,
            RotationPeriod = Duration.Parse(parsed, "--rotation-period") ?? defaults.RotationPeriod,
            JwksCacheLifetime = cacheLifetime,
            RefreshInterval = cacheLifetime < defaults.RefreshInterval ? cacheLifetime : defaults.RefreshInterval,
            ClockSkew = Duration.Parse(parsed, "--clock-skew") ?? defaults.ClockSkew,
            MaxTokenLifetime = Duration.Parse(parsed, "--max-token-lifetime") ?? defaults.MaxTokenLifetime,
        };
    }

    private static void NoPositionals(Arguments parsed)
    {
        if (parsed.Positionals.Count > 0)
        {
            throw new UsageException($"Unexpected argument '{parsed.Positionals[0]}'.");
        }
    }
}
