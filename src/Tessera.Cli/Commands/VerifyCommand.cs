using System.Text.Json;
using Tessera.Cli.CommandLine;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Tokens;

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
          --iss ISS          expected issuer (exact match; repeatable)
          --aud AUD          expected audience (exact match; repeatable)
          --typ TYP          expected typ, compared as a media type
          --profile KIND     apply a token kind's rules: access (typ at+jwt), id (typ JWT or none),
                             service (typ service+jwt): its required claims and 60-minute lifetime cap
          --now SECONDS      validate as if the time were this Unix time
          --max-length N     longest token accepted (default 16384 characters)
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

        if (parsed.Has("--signature-only"))
        {
            var verifier = new JwsVerifier(keys, algorithms, MaxLength(parsed));
            var jws = verifier.Verify(token);
            return Report(console, json, jws.IsValid, jws.Failure, jws.Detail, null, jws.Key?.Algorithm.Name, jws.Key?.Kid);
        }

        var profile = Profile(parsed, keys, algorithms);
        var validator = new TokenValidator(Clock(parsed, console));
        var result = validator.Validate(token, profile);
        return Report(console, json, result.IsValid, result.Failure ?? 0, result.Detail, result.FailedClaim, result.Algorithm?.Name, result.Kid);
    }

    private static TokenProfile Profile(Arguments parsed, JsonWebKeySet keys, IReadOnlyCollection<JwsAlgorithm>? algorithms)
    {
        var kindName = parsed.Value("--profile");
        var kind = kindName switch
        {
            null => TokenKind.Access,
            "access" => TokenKind.Access,
            "id" => TokenKind.Id,
            "service" => TokenKind.Service,
            _ => throw new UsageException($"Unknown --profile '{kindName}'. Use access, id or service."),
        };

        // The person running the command states the policy: the key file they chose is trusted as given,
        // and an issuer or audience they leave out is not compared.
        var options = new TokenProfileOptions
        {
            Keys = keys,
            AllowSymmetricKeys = keys.IsSymmetric,
            SkipUnsetIssuerAndAudience = true,
            GenericJwt = kindName is null,
            MaxTokenLength = MaxLength(parsed),
        };
        foreach (var algorithm in algorithms ?? [])
        {
            options.AllowedAlgorithms.Add(algorithm);
        }

        Add(options.Issuers, parsed.Values("--iss"));
        Add(options.Audiences, parsed.Values("--aud"));
        Add(options.Types, parsed.Values("--typ"));
        try
        {
            return TokenProfile.Create(kind, options);
        }
        catch (TesseraConfigurationException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static void Add(IList<string> target, IReadOnlyList<string> values)
    {
        foreach (var value in values)
        {
            target.Add(value);
        }
    }

    private static int MaxLength(Arguments parsed)
    {
        var text = parsed.Value("--max-length");
        if (text is null)
        {
            return JwsVerifier.DefaultMaxTokenLength;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value is >= 64 and <= 1024 * 1024
            ? value
            : throw new UsageException("--max-length must be a number of characters from 64 to 1048576.");
    }

    private static TimeProvider Clock(Arguments parsed, CliConsole console)
    {
        var text = parsed.Value("--now");
        if (text is null)
        {
            return console.Time;
        }

        return long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            && seconds is >= 0 and <= 253402300799
            ? new FixedTimeProvider(DateTimeOffset.FromUnixTimeSeconds(seconds))
            : throw new UsageException("--now must be Unix seconds, e.g. --now 1300815780.");
    }

    internal static int Report(CliConsole console, bool json, bool valid, FailureReason failure, string? detail, string? claim, string? alg, string? kid)
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
                    if (claim is not null)
                    {
                        w.WriteString("claim", claim);
                    }
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
            console.Out.WriteLine(claim is null ? $"{failure.ToCode()}: {detail}" : $"{failure.ToCode()}: {detail} ({claim})");
        }

        return valid ? TesseraCli.ExitValid : TesseraCli.ExitRejected;
    }
}
