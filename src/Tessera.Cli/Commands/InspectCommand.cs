using Tessera.Cli.CommandLine;
using Tessera.Cli.Output;
using Tessera.Cli.Unverified;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera inspect</c>: decodes a token WITHOUT verifying it and shows its header, claims and times, with
/// warnings about personal data. Never touches the network; credential-like claim values are hidden unless asked.
/// </summary>
internal sealed class InspectCommand : ICommand
{
    private static readonly string[] Options = [ClockOption.Name];
    private static readonly string[] Flags = ["--json", "--show-secret", "--no-color"];

    public string Name => "inspect";

    public string Summary => "Decode a token without verifying it: header, claims, times, personal-data warnings";

    public string Help => """
        Usage: tessera inspect [--json] [--show-secret] [--now UNIX_SECONDS] [--no-color] (TOKEN | -)

        Decodes a token you copied (from a log, a browser, a test) and shows its header and claims pretty-printed,
        its times as dates and relative to now, and warnings when the payload holds personal data. The signature
        is NOT verified: use 'tessera verify' for that. Nothing is sent over the network. A 'Bearer' prefix or
        surrounding quotes are removed first.

          --json             print one JSON object: header, claims, times, signature size, warnings
          --show-secret      show the values of claims that look like passwords, keys or tokens (hidden by default)
          --now SECONDS      show times relative to this Unix time instead of the clock
          --no-color         never colour the output (also: NO_COLOR=1, or redirect the output)

        Exit codes: 0 decoded, 1 the input is not a readable JWS token, 2 the command is wrong.

        Example:
          tessera inspect eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl
          kubectl logs api-7f9c | grep -o 'eyJ[^ ]*' | head -1 | tessera inspect -

        """;

    public int Run(IReadOnlyList<string> args, CliConsole console)
    {
        var parsed = Arguments.Parse(args, Options, Flags);
        var text = console.ReadTokenArgument(parsed.SinglePositional("TOKEN (or - for standard input)"));
        var now = ClockOption.Now(parsed, console);
        if (!UnverifiedToken.TryDecode(text, out var token, out var error))
        {
            console.Error.WriteLine($"tessera inspect: cannot decode the token: {error}.");
            return TesseraCli.ExitRejected;
        }

        var view = new TokenView(token, now, parsed.Has("--show-secret"));
        console.Out.Write(parsed.Has("--json") ? view.ToJson() : view.ToText(Terminal.UseColour(console, parsed.Has("--no-color"))));
        return TesseraCli.ExitValid;
    }
}
