using System.Text.Json;
using Tessera.Cli.CommandLine;
using Tessera.Jose;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera verify</c>: the contract of DESIGN.md. Exit 0 valid, 1 rejected, 2 usage.</summary>
internal sealed class VerifyCommand : ICommand
{
    private static readonly string[] Options = ["--keys", "--alg", "--iss", "--aud", "--typ", "--profile", "--now", "--max-length"];
    private static readonly string[] Flags = ["--signature-only", "--json"];

    public string Name => "verify";

    public string Summary => "Verify a token's signature and claims against keys you trust";

    public string Help => """
        Usage: tessera verify --keys FILE [--alg ALG[,ALG…]] [--iss ISS] [--aud AUD] [--typ TYP]
                              [--profile access|id|service] [--signature-only] [--now UNIX_SECONDS]
                              [--json] (TOKEN | -)

          --keys FILE        a JWK Set, a single JWK, or a PEM public key
          --alg ALG          allowed algorithms (default: those of the keys)
          --signature-only   check the JWS only (header rules, key, algorithm, signature); any payload
          --json             print {"valid":…,"reason":…,"detail":…}

        Exit codes: 0 valid, 1 rejected (the reason code is printed), 2 the command is wrong.

        Example:
          tessera verify --keys jwks.json --iss https://id.example --aud api://orders --profile access eyJ…
        """;

    public int Run(IReadOnlyList<string> args, CliConsole console)
    {
        var parsed = Arguments.Parse(args, Options, Flags);
        var token = console.ReadTokenArgument(parsed.SinglePositional("TOKEN (or - for standard input)"));
        var algorithms = KeyFile.Algorithms(parsed.Values("--alg"));
        var keys = KeyFile.Load(parsed.Required("--keys"), algorithms);
        var json = parsed.Has("--json");

        if (!parsed.Has("--signature-only"))
        {
            throw new UsageException("Claim validation is not available yet; pass --signature-only.");
        }

        var verifier = new JwsVerifier(keys, algorithms);
        var result = verifier.Verify(token);
        return Report(console, json, result.IsValid, result.Failure, result.Detail, result.Key?.Algorithm.Name, result.Key?.Kid);
    }

    internal static int Report(CliConsole console, bool json, bool valid, FailureReason failure, string? detail, string? alg, string? kid)
    {
        if (json)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteBoolean("valid", valid);
                if (valid)
                {
                    w.WriteString("alg", alg);
                    w.WriteString("kid", kid);
                }
                else
                {
                    w.WriteString("reason", failure.ToCode());
                    w.WriteString("detail", detail);
                }

                w.WriteEndObject();
            }

            console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
        }
        else if (valid)
        {
            console.Out.WriteLine($"valid ({alg}, kid {kid})");
        }
        else
        {
            console.Out.WriteLine($"{failure.ToCode()}: {detail}");
        }

        return valid ? TesseraCli.ExitValid : TesseraCli.ExitRejected;
    }
}
