using Tessera.Cli;
using Tessera.Cli.CommandLine;

return TesseraCli.Run(args, CliConsole.System);
