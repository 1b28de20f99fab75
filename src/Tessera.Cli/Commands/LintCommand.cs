using Tessera.Cli.CommandLine;
using Tessera.Cli.Findings;
using Tessera.Cli.Lint;
using Tessera.Cli.Output;
using Tessera.Cli.Unverified;
using Tessera.Tokens;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera lint</c>: finds mistakes in one token, without verifying it and without the network.</summary>
internal sealed class LintCommand : ICommand
{
    private static readonly string[] Options = [.. OutputOptions.Options, "--as", "--wordlist", ClockOption.Name];
    private static readonly string[] Flags = [.. OutputOptions.Flags, "--show-secret"];

    public string Name => "lint";

    public string Summary => "Find mistakes in a token: algorithm, weak HMAC secret, missing claims, lifetime, personal data";

    public string Help => $"""
        Usage: tessera lint [--as access|id|service|refresh] [--wordlist FILE] [--show-secret]
                            [--now UNIX_SECONDS] [--json | --sarif] [--fail-on low|medium|high] (TOKEN | -)

        Checks one token against the rule catalogue (docs/cli.md) and prints each finding with its severity,
        rule id, the principle it breaks and the fix. The signature is not verified and nothing is fetched.

          --as KIND          judge the token as an access, id, service or refresh token
                             (default: inferred from typ and claims; kind rules apply only when known)
          --wordlist FILE    more secrets to try against HS256/384/512 tokens, one per line
                             (the bundled list of common and default secrets is always tried)
          --show-secret      print a cracked HMAC secret (by default only its strength is shown)
          --now SECONDS      judge times against this Unix time instead of the clock
        {OutputOptions.Help}
        Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 the command is wrong.

        Example:
          tessera lint --as access eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl
          tessera lint --as id --sarif --fail-on medium - < id-token.txt > id-token.sarif

        """;

    public int Run(IReadOnlyList<string> args, CliConsole console)
    {
        var parsed = Arguments.Parse(args, Options, Flags);
        var source = parsed.SinglePositional("TOKEN (or - for standard input)");
        var output = OutputOptions.From(parsed, console);
        var kind = parsed.Value("--as") is { } name ? ParseKind(name) : (TokenKind?)null;
        var wordlist = parsed.Value("--wordlist");
        if (wordlist is not null && !File.Exists(wordlist))
        {
            throw new UsageException($"--wordlist '{wordlist}' does not exist.");
        }

        var options = new LintOptions(kind, wordlist, parsed.Has("--show-secret"), ClockOption.Now(parsed, console));
        var text = console.ReadTokenArgument(source);
        var report = source == "-"
            ? new Report(Name, "token from standard input", "stdin") { Unverified = true }
            : new Report(Name, "token from the command line", "token") { Unverified = true };
        if (UnverifiedToken.TryDecode(text, out var token, out var error))
        {
            if (token.Adjustments.Count > 0)
            {
                report.Notes.Add($"Removed {string.Join(" and ", token.Adjustments)} before decoding.");
            }

            TokenLinter.Lint(token, options, report);
        }
        else
        {
            report.Add(Rules.NotAJws, char.ToUpperInvariant(error[0]) + error[1..] + ".", "token");
        }

        return output.Write(report, console);
    }

    private static TokenKind ParseKind(string name) => name switch
    {
        "access" => TokenKind.Access,
        "id" => TokenKind.Id,
        "service" => TokenKind.Service,
        "refresh" => TokenKind.Refresh,
        _ => throw new UsageException($"--as must be access, id, service or refresh, not '{name}'."),
    };
}
