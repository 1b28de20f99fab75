namespace Tessera.Cli.CommandLine;

/// <summary>A clock stopped at one instant, for <c>--now</c>.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
