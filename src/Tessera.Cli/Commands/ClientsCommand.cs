using System.Globalization;
using Tessera.Cli.CommandLine;
using Tessera.Clients;
using Tessera.Storage.Sqlite;
using Tessera.Storage.Sqlite.Clients;
using Tessera.Storage.Sqlite.Settings;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera clients</c>: register, list and remove the token service's clients in its SQLite store.</summary>
internal sealed class ClientsCommand : ICommand
{
    private static readonly string[] Options =
        ["--db", "--id", "--type", "--audience", "--scope", "--grant", "--redirect-uri", "--jwks", "--lifetime"];

    private static readonly string[] Flags = ["--json", "--first-party"];

    /// <summary>Short names accepted for the grant types whose identifiers are URNs.</summary>
    private static readonly Dictionary<string, string> GrantAliases = new(StringComparer.Ordinal)
    {
        ["token-exchange"] = GrantTypes.TokenExchange,
        ["revocation-feed"] = GrantTypes.RevocationFeed,
    };

    public string Name => "clients";

    public string Summary => "Register, list and remove the token service's clients";

    public string Help => """
        Usage: tessera clients add    --db PATH --id ID --type service|web|native|browser
                                      [--audience A …] [--scope S …] [--grant G …] [--redirect-uri URI …]
                                      [--jwks FILE] [--lifetime SECONDS] [--first-party] [--json]
               tessera clients list   --db PATH [--json]
               tessera clients remove --db PATH --id ID [--json]

          add     register a client (creating the database if needed). A service or web client without
                  --jwks gets a generated secret, printed once: store it now, only its hash is kept.
          list    every client and what it may receive (never a secret or its hash)
          remove  delete a client; its tokens stop being issued, existing ones expire as usual

        Options of add (repeat an option, or separate values with commas):
          --type T            service  a backend calling APIs as itself
                              web      a server-side web app or BFF that signs users in
                              native   a mobile or desktop app (public: no secret)
                              browser  a single-page app (public: no secret, never a refresh token)
          --audience A        an API (resource) it may get tokens for
          --scope S           a scope it may get
          --grant G           the grants it may use, replacing the defaults:
                                service  client_credentials, token-exchange
                                web      authorization_code, refresh_token
                                native   authorization_code, refresh_token
                                browser  authorization_code
                              (also: revocation-feed; full URNs are accepted too)
          --redirect-uri URI  an exact redirect URI, needed with authorization_code: https, or
                              http://127.0.0.1:PORT/… on this machine; native apps may also use a
                              private-use scheme such as com.example.app:/callback
          --jwks FILE         a JWK Set of the client's public keys: it authenticates with
                              private_key_jwt instead of a secret (service and web only)
          --lifetime SECONDS  its access token lifetime, at most 3600 (default: the server's)
          --first-party       an app of your own: users are not asked for consent

        Exit codes: 0 done, 2 the command is wrong (arguments, database, unknown client).

        Examples:
          tessera clients add --db tessera.db --id billing --type service --audience https://api.example.com --scope invoices:read
          tessera clients add --db tessera.db --id portal --type web --redirect-uri https://portal.example.com/signin --first-party
          tessera clients add --db tessera.db --id reports --type service --jwks reports-public.jwks.json
          tessera clients list --db tessera.db --json
          tessera clients remove --db tessera.db --id billing
        """;

    public int Run(IReadOnlyList<string> args, CliConsole console)
    {
        if (args.Count == 0)
        {
            throw new UsageException("Missing subcommand: add, list or remove.");
        }

        var parsed = Arguments.Parse(args.Skip(1), Options, Flags);
        if (parsed.Positionals.Count > 0)
        {
            throw new UsageException($"Unexpected argument '{parsed.Positionals[0]}'. Options are written --name value.");
        }

        var output = new ClientsOutput(console, parsed.Has("--json"));
        try
        {
            return args[0] switch
            {
                "add" => Add(parsed, console, output),
                "list" => List(parsed, console, output),
                "remove" => Remove(parsed, console, output),
                _ => throw new UsageException($"Unknown subcommand '{args[0]}'. Use add, list or remove."),
            };
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or TesseraConfigurationException)
        {
            throw new UsageException(e.Message);
        }
    }

    private static int Add(Arguments parsed, CliConsole console, ClientsOutput output)
    {
        var id = parsed.Required("--id");
        var type = ParseType(parsed.Required("--type"));
        var jwksPath = parsed.Value("--jwks");
        var confidential = type is ClientType.Service or ClientType.Web;
        if (jwksPath is not null && !confidential)
        {
            throw new UsageException(
                $"--jwks is for confidential clients (service, web), which authenticate with private_key_jwt; a {ClientRules.Name(type)} app runs on the user's device and has no credential. Remove --jwks, or use --type web for a server-side app.");
        }

        var grants = parsed.Values("--grant").Select(Grant).Distinct(StringComparer.Ordinal).ToArray();
        var draft = new ClientRegistration
        {
            ClientId = id,
            Type = type,
            Jwks = jwksPath is null ? null : ReadJwks(jwksPath),
            GrantTypes = grants.Length > 0 ? grants : ClientRules.DefaultGrantTypes(type),
            Audiences = parsed.Values("--audience").Distinct(StringComparer.Ordinal).ToArray(),
            Scopes = parsed.Values("--scope").Distinct(StringComparer.Ordinal).ToArray(),
            RedirectUris = parsed.Values("--redirect-uri").Distinct(StringComparer.Ordinal).ToArray(),
            AccessTokenLifetime = Lifetime(parsed.Value("--lifetime")),
            FirstParty = parsed.Has("--first-party"),
            CreatedAt = console.Time.GetUtcNow(),
        };

        // Check everything but the credential before touching the database or generating a secret.
        ClientRules.Validate(confidential && draft.Jwks is null ? draft with { SecretHash = new byte[ClientSecrets.HashBytes] } : draft);
        var database = SqliteDatabase.Open(parsed.Required("--db"));
        string? secret = null;
        var client = draft;
        if (confidential && draft.Jwks is null)
        {
            secret = ClientSecrets.Generate();
            var hashingKey = new SqliteSettings(database).GetOrCreateSecretHashingKeyAsync().GetAwaiter().GetResult();
            client = draft with { SecretHash = ClientSecrets.Hash(secret, hashingKey) };
        }

        var store = new SqliteClientStore(database, console.Time);
        if (!store.AddAsync(client).GetAwaiter().GetResult())
        {
            throw new UsageException($"A client '{id}' already exists. Choose another --id, or remove it first with 'tessera clients remove --id {id}'.");
        }

        output.Added(client, secret);
        return TesseraCli.ExitValid;
    }

    private static int List(Arguments parsed, CliConsole console, ClientsOutput output)
    {
        var store = new SqliteClientStore(OpenExisting(parsed), console.Time);
        output.List(store.ListAsync().GetAwaiter().GetResult());
        return TesseraCli.ExitValid;
    }

    private static int Remove(Arguments parsed, CliConsole console, ClientsOutput output)
    {
        var id = parsed.Required("--id");
        var store = new SqliteClientStore(OpenExisting(parsed), console.Time);
        if (!store.RemoveAsync(id).GetAwaiter().GetResult())
        {
            throw new UsageException($"There is no client '{id}'. 'tessera clients list' shows the registered clients.");
        }

        output.Removed(id);
        return TesseraCli.ExitValid;
    }

    private static SqliteDatabase OpenExisting(Arguments parsed)
    {
        var path = parsed.Required("--db");
        return File.Exists(path)
            ? SqliteDatabase.Open(path)
            : throw new UsageException($"The database '{path}' does not exist. Register a first client with 'tessera clients add --db {path} …'.");
    }

    private static ClientType ParseType(string value) =>
        ClientRules.TryParseType(value, out var type)
            ? type
            : throw new UsageException($"Unknown --type '{value}'. Use service, web, native or browser.");

    private static string Grant(string value)
    {
        if (GrantAliases.TryGetValue(value, out var full))
        {
            return full;
        }

        return ClientRules.KnownGrantTypes.Contains(value, StringComparer.Ordinal)
            ? value
            : throw new UsageException(
                $"Unknown --grant '{value}'. Use client_credentials, token-exchange, authorization_code, refresh_token or revocation-feed.");
    }

    private static TimeSpan? Lifetime(string? value)
    {
        if (value is null)
        {
            return null;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : throw new UsageException($"--lifetime '{value}' is not a number of seconds. Give a whole number such as 300.");
    }

    /// <summary>Reads a public JWK Set and keeps it in normal form (public members only, every key with its kid).</summary>
    private static string ReadJwks(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"Cannot read --jwks file '{path}': {e.Message}");
        }

        try
        {
            return ClientRules.ParsePublicJwks(text).ToPublicJson();
        }
        catch (TesseraConfigurationException e)
        {
            throw new UsageException($"--jwks '{path}': {e.Message}");
        }
    }
}
