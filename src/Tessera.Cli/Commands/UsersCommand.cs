using Tessera.Cli.CommandLine;
using Tessera.Clients;
using Tessera.Storage.Sqlite;
using Tessera.Storage.Sqlite.Sessions;
using Tessera.Storage.Sqlite.Users;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera users</c>: the local users who sign in at the token service, in its SQLite store.</summary>
internal sealed class UsersCommand : ICommand
{
    private static readonly string[] Options = ["--db", "--username", "--tenant"];

    private static readonly string[] Flags = ["--json", "--password-stdin", "--generate-password"];

    public string Name => "users";

    public string Summary => "Add, list and remove the users who sign in, and set their passwords";

    public string Help => """
        Usage: tessera users add          --db PATH --username NAME [--tenant T] [PASSWORD SOURCE] [--json]
               tessera users list         --db PATH [--json]
               tessera users remove       --db PATH --username NAME [--json]
               tessera users set-password --db PATH --username NAME [PASSWORD SOURCE] [--json]

          add           create a user (creating the database if needed); the tokens' sub is a random id, never the name
          list          every user (never a password hash)
          remove        delete a user, end their sign-in sessions and revoke their refresh tokens
          set-password  replace a password and lift a lockout; ends the user's sessions and revokes their
                        refresh tokens. To also revoke access tokens already issued, send the password_reset
                        trigger to the running server (POST /admin/triggers, docs/revocation.md).

        Password source (never on the command line, where other users of the machine can read it):
          (none)               ask on the terminal, twice, without echo
          --password-stdin     read the first line of standard input
          --generate-password  generate a strong password and print it once

        Passwords have 8 to 256 characters and are stored only as a slow PBKDF2 hash.

        Exit codes: 0 done, 2 the command is wrong (arguments, database, unknown user, weak password).

        Examples:
          tessera users add --db data/tessera.db --username alice --tenant acme
          printf '%s\n' "$PASSWORD" | tessera users set-password --db data/tessera.db --username alice --password-stdin
          tessera users list --db data/tessera.db --json
          tessera users remove --db data/tessera.db --username alice
        """;

    public int Run(IReadOnlyList<string> args, CliConsole console)
    {
        if (args.Count == 0)
        {
            throw new UsageException("Missing subcommand: add, list, remove or set-password.");
        }

        var parsed = Arguments.Parse(args.Skip(1), Options, Flags);
        if (parsed.Positionals.Count > 0)
        {
            throw new UsageException($"Unexpected argument '{parsed.Positionals[0]}'. Options are written --name value; passwords are never arguments.");
        }

        var output = new UsersOutput(console, parsed.Has("--json"));
        try
        {
            return args[0] switch
            {
                "add" => Add(parsed, console, output),
                "list" => List(parsed, output),
                "remove" => Remove(parsed, console, output),
                "set-password" => SetPassword(parsed, console, output),
                _ => throw new UsageException($"Unknown subcommand '{args[0]}'. Use add, list, remove or set-password."),
            };
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or TesseraConfigurationException)
        {
            throw new UsageException(e.Message);
        }
    }

    private static int Add(Arguments parsed, CliConsole console, UsersOutput output)
    {
        var username = parsed.Required("--username");
        var tenant = parsed.Value("--tenant");
        if ((UserRules.UsernameProblem(username) ?? UserRules.TenantProblem(tenant)) is { } problem)
        {
            throw new UsageException(problem);
        }

        var (password, generated) = ReadPassword(parsed, console);
        var now = console.Time.GetUtcNow();
        var user = new UserAccount
        {
            UserId = SqliteUserStore.NewUserId(),
            Username = username,
            Tenant = tenant,
            PasswordHash = UserPasswords.Hash(password),
            CreatedAt = now,
            PasswordChangedAt = now,
        };
        var store = new SqliteUserStore(SqliteDatabase.Open(parsed.Required("--db")));
        if (!store.AddAsync(user).GetAwaiter().GetResult())
        {
            throw new UsageException($"A user '{username}' already exists. Choose another --username, or change the password with 'tessera users set-password'.");
        }

        output.Added(user, generated ? password : null);
        return TesseraCli.ExitValid;
    }

    private static int List(Arguments parsed, UsersOutput output)
    {
        var store = new SqliteUserStore(OpenExisting(parsed));
        output.List(store.ListAsync().GetAwaiter().GetResult());
        return TesseraCli.ExitValid;
    }

    private static int Remove(Arguments parsed, CliConsole console, UsersOutput output)
    {
        var username = parsed.Required("--username");
        var database = OpenExisting(parsed);
        var removed = new SqliteUserStore(database).RemoveAsync(username).GetAwaiter().GetResult()
            ?? throw new UsageException($"There is no user '{username}'. 'tessera users list' shows the users.");
        var (sessions, families) = new SqliteSignInSessionStore(database).EndForUserAsync(removed.UserId, "user_removed", console.Time.GetUtcNow()).GetAwaiter().GetResult();
        output.Removed(removed, sessions, families);
        return TesseraCli.ExitValid;
    }

    private static int SetPassword(Arguments parsed, CliConsole console, UsersOutput output)
    {
        var username = parsed.Required("--username");
        var database = OpenExisting(parsed);
        var store = new SqliteUserStore(database);
        if (store.FindByUsernameAsync(username).GetAwaiter().GetResult() is null)
        {
            throw new UsageException($"There is no user '{username}'. 'tessera users list' shows the users.");
        }

        var (password, generated) = ReadPassword(parsed, console);
        var now = console.Time.GetUtcNow();
        var user = store.SetPasswordHashAsync(username, UserPasswords.Hash(password), now).GetAwaiter().GetResult()
            ?? throw new UsageException($"There is no user '{username}'. 'tessera users list' shows the users.");
        var (sessions, families) = new SqliteSignInSessionStore(database).EndForUserAsync(user.UserId, "password_reset", now).GetAwaiter().GetResult();
        output.PasswordSet(user, generated ? password : null, sessions, families);
        return TesseraCli.ExitValid;
    }

    private static (string Password, bool Generated) ReadPassword(Arguments parsed, CliConsole console)
    {
        var fromStdin = parsed.Has("--password-stdin");
        if (fromStdin && parsed.Has("--generate-password"))
        {
            throw new UsageException("Give one password source: --password-stdin or --generate-password.");
        }

        string password;
        if (parsed.Has("--generate-password"))
        {
            return (ClientSecrets.Generate()[..24], true);
        }

        if (fromStdin)
        {
            password = console.In.ReadLine() ?? throw new UsageException("--password-stdin: standard input is empty. Write the password as its first line.");
        }
        else if (ReferenceEquals(console.In, Console.In) && !Console.IsInputRedirected)
        {
            password = Prompt(console, "Password: ");
            if (Prompt(console, "Repeat it: ") != password)
            {
                throw new UsageException("The two passwords differ. Run the command again.");
            }
        }
        else
        {
            throw new UsageException("No terminal to ask for the password on. Use --password-stdin (first line of standard input) or --generate-password.");
        }

        return UserPasswords.Problem(password) is { } problem ? throw new UsageException(problem) : (password, false);
    }

    private static string Prompt(CliConsole console, string label)
    {
        console.Error.Write(label);
        var typed = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                console.Error.WriteLine();
                return typed.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                typed.Length = Math.Max(0, typed.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }
    }

    private static SqliteDatabase OpenExisting(Arguments parsed)
    {
        var path = parsed.Required("--db");
        return File.Exists(path)
            ? SqliteDatabase.Open(path)
            : throw new UsageException($"The database '{path}' does not exist. Add a first user with 'tessera users add --db {path} …'.");
    }
}
