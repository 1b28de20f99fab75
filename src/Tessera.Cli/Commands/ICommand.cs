using Tessera.Cli.CommandLine;

namespace Tessera.Cli.Commands;

/// <summary>One <c>tessera</c> subcommand.</summary>
internal interface ICommand
{
    /// <summary>The word after <c>tessera</c>.</summary>
    string Name { get; }

    /// <summary>One line for the command list.</summary>
    string Summary { get; }

    /// <summary>Full help with an example.</summary>
    string Help { get; }

    /// <summary>Runs the command; returns the exit code. Throws <see cref="UsageException"/> for exit 2.</summary>
    int Run(IReadOnlyList<string> args, CliConsole console);
}
