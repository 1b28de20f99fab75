using Tessera.Cli.CommandLine;
using Tessera.Cli.Commands;

namespace Tessera.Cli;

/// <summary>The <c>tessera</c> command: dispatches to one subcommand and maps usage errors to exit code 2.</summary>
internal static class TesseraCli
{
    public const int ExitValid = 0;
    public const int ExitRejected = 1;
    public const int ExitUsage = 2;

    public static IReadOnlyList<ICommand> Commands { get; } =
    [
        new VerifyCommand(),
        new KeysCommand(),
        new InspectCommand(),
        new LintCommand(),
        new AuditCommand(),
        new ClientsCommand(),
        new UsersCommand(),
    ];

    public static int Run(IReadOnlyList<string> args, CliConsole console)
    {
        if (args.Count == 0 || args[0] is "--help" or "-h" or "help")
        {
            console.Out.Write(Overview());
            return args.Count == 0 ? ExitUsage : ExitValid;
        }

        var command = Commands.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            console.Error.WriteLine($"tessera: unknown command '{args[0]}'. Run 'tessera --help' for the list.");
            return ExitUsage;
        }

        var rest = args.Skip(1).ToList();
        if (rest.Contains("--help") || rest.Contains("-h"))
        {
            console.Out.Write(command.Help);
            return ExitValid;
        }

        try
        {
            return command.Run(rest, console);
        }
        catch (UsageException e)
        {
            console.Error.WriteLine($"tessera {command.Name}: {e.Message}");
            console.Error.WriteLine($"Run 'tessera {command.Name} --help' for usage.");
            return ExitUsage;
        }
    }

    private static string Overview()
    {
        var lines = Commands.Select(c => $"  {c.Name,-10} {c.Summary}");
        return "tessera — safe JSON Web Tokens\n\nUsage: tessera <command> [options]\n\nCommands:\n"
            + string.Join('\n', lines)
            + "\n\nRun 'tessera <command> --help' for options and an example.\n";
    }
}
