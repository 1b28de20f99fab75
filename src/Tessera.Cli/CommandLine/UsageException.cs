namespace Tessera.Cli.CommandLine;

/// <summary>The command itself is wrong (arguments, unreadable or unusable files): exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
