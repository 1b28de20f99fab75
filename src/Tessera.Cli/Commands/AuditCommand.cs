using System.Globalization;
using System.Text.Json;
using Tessera.Cli.Audit;
using Tessera.Cli.CommandLine;
using Tessera.Cli.Findings;
using Tessera.Cli.Output;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera audit</c>: checks an issuer (discovery and JWKS fetched over HTTPS, with limits), a discovery
/// document file or a JWK Set file. The network is used only when the target is a URL.
/// </summary>
internal sealed class AuditCommand : ICommand
{
    private const string OpenIdSuffix = "/.well-known/openid-configuration";
    private const string OAuthPrefix = "/.well-known/oauth-authorization-server";

    private static readonly string[] Options = [.. OutputOptions.Options, "--jwks", "--timeout", ClockOption.Name];
    private static readonly string[] Flags = [.. OutputOptions.Flags];

    public string Name => "audit";

    public string Summary => "Audit an issuer URL, a discovery document or a JWK Set for unsafe keys and flows";

    public string Help => $"""
        Usage: tessera audit [--jwks FILE] [--timeout SECONDS] [--now UNIX_SECONDS]
                             [--json | --sarif] [--fail-on low|medium|high] (URL | FILE)

        URL   an issuer base URL (its /.well-known/openid-configuration and jwks_uri are fetched), a discovery
              document URL, or a JWK Set URL. Only https:// is fetched (http:// only on loopback); at most
              1 MiB per document, 3 redirects (never to plain HTTP), and --timeout per document.
        FILE  a discovery document or a JWK Set; nothing is fetched, not even the jwks_uri it names.

          --jwks FILE        with a discovery document FILE, also audit this JWK Set
          --timeout SECONDS  per-document time limit for URLs (default 10, at most 60)
          --now SECONDS      judge key ages against this Unix time instead of the clock
        {OutputOptions.Help}
        Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 the command is wrong or the URL unreachable.

        Example:
          tessera audit https://id.example.com
          tessera audit --sarif --fail-on high jwks.json > jwks.sarif
          tessera audit openid-configuration.json --jwks jwks.json

        """;

    public int Run(IReadOnlyList<string> args, CliConsole console)
    {
        var parsed = Arguments.Parse(args, Options, Flags);
        var target = parsed.SinglePositional("URL or FILE");
        var output = OutputOptions.From(parsed, console);
        var now = ClockOption.Now(parsed, console);
        var jwksFile = parsed.Value("--jwks");
        var report = Endpoints.Parse(target) is { } url
            ? AuditUrl(url, jwksFile, Timeout(parsed), now)
            : AuditFile(target, jwksFile, now);
        return output.Write(report, console);
    }

    private static Report AuditFile(string path, string? jwksFile, DateTimeOffset now)
    {
        var uri = path.Replace('\\', '/');
        var (root, text) = ReadFile(path);
        var report = new Report("audit", path, uri);
        switch (AuditDocument.Classify(root))
        {
            case AuditDocumentKind.KeySet:
                if (jwksFile is not null)
                {
                    throw new UsageException("--jwks goes with a discovery document; this file is already a JWK Set.");
                }

                KeySetAuditor.Audit(root, now, report, artifact: null);
                break;
            case AuditDocumentKind.Discovery:
                DiscoveryAuditor.Audit(root, expectedIssuer: null, report);
                if (jwksFile is null)
                {
                    report.Notes.Add("The jwks_uri was not fetched (a file was given); pass --jwks FILE to audit the key set too.");
                    break;
                }

                var (keys, keysText) = ReadFile(jwksFile);
                if (AuditDocument.Classify(keys) != AuditDocumentKind.KeySet)
                {
                    throw new UsageException($"--jwks '{jwksFile}' is not a JWK Set (an object with a \"keys\" array).");
                }

                var keysUri = jwksFile.Replace('\\', '/');
                KeySetAuditor.Audit(keys, now, report, keysUri);
                report.AttachLines(keysUri, JsonLineMap.Build(keysText));
                break;
            default:
                throw new UsageException($"'{path}' is neither a JWK Set (\"keys\": […]) nor a discovery document (\"issuer\", \"jwks_uri\", …).");
        }

        report.AttachLines(null, JsonLineMap.Build(text));
        return report;
    }

    private static Report AuditUrl(Uri url, string? jwksFile, TimeSpan timeout, DateTimeOffset now)
    {
        if (jwksFile is not null)
        {
            throw new UsageException("--jwks goes with a discovery document file; for a URL the jwks_uri is fetched.");
        }

        if (!Endpoints.IsSecure(url))
        {
            throw new UsageException($"Refusing to fetch {url} over plain HTTP. Use https:// (http:// is allowed only for loopback addresses), or download the document and audit the file.");
        }

        using var fetcher = new DocumentFetcher(timeout);
        var errors = new List<string>();
        foreach (var (candidate, issuer) in Candidates(url))
        {
            var fetched = fetcher.Get(candidate);
            if (fetched.Text is null)
            {
                errors.Add($"{candidate}: {fetched.Error}");
                continue;
            }

            if (AuditDocument.Parse(fetched.Text, out var error) is not { } root)
            {
                errors.Add($"{candidate}: {error}");
                continue;
            }

            var kind = AuditDocument.Classify(root);
            if (kind == AuditDocumentKind.Unknown)
            {
                errors.Add($"{candidate}: neither a discovery document nor a JWK Set");
                continue;
            }

            var report = new Report("audit", url.ToString(), fetched.Url.ToString());
            report.Notes.Add($"Fetched {fetched.Url} ({fetched.Text.Length.ToString(CultureInfo.InvariantCulture)} characters).");
            if (kind == AuditDocumentKind.KeySet)
            {
                KeySetAuditor.Audit(root, now, report, artifact: null);
            }
            else
            {
                DiscoveryAuditor.Audit(root, issuer, report);
                AuditJwksUri(root, fetcher, now, report);
            }

            report.AttachLines(null, JsonLineMap.Build(fetched.Text));
            return report;
        }

        throw new UsageException($"Could not read a discovery document or JWK Set for {url}: {string.Join("; ", errors)}.");
    }

    private static void AuditJwksUri(JsonElement discovery, DocumentFetcher fetcher, DateTimeOffset now, Report report)
    {
        if (Endpoints.Parse(KeySetAuditor.String(discovery, "jwks_uri")) is not { } jwksUri)
        {
            return; // missing or invalid: already reported by the discovery rules
        }

        if (!Endpoints.IsSecure(jwksUri))
        {
            report.Notes.Add($"The jwks_uri {jwksUri} was not fetched: it is not HTTPS.");
            return;
        }

        var fetched = fetcher.Get(jwksUri);
        var root = fetched.Text is null ? null : AuditDocument.Parse(fetched.Text, out _);
        if (root is not { } keys || AuditDocument.Classify(keys) != AuditDocumentKind.KeySet)
        {
            report.Add(Rules.JwksUnavailable, $"The jwks_uri {jwksUri} could not be used: {fetched.Error ?? "the response is not a JWK Set"}.", "jwks_uri");
            return;
        }

        var artifact = fetched.Url.ToString();
        report.Notes.Add($"Fetched {artifact} ({fetched.Text!.Length.ToString(CultureInfo.InvariantCulture)} characters).");
        KeySetAuditor.Audit(keys, now, report, artifact);
        report.AttachLines(artifact, JsonLineMap.Build(fetched.Text));
    }

    // Which URLs to try, each with the issuer a discovery document found there must name (RFC 8414 §3, OpenID Connect Discovery §4).
    private static IEnumerable<(Uri Url, string? Issuer)> Candidates(Uri url)
    {
        var path = url.AbsolutePath;
        var origin = url.GetLeftPart(UriPartial.Authority);
        if (path.EndsWith(OpenIdSuffix, StringComparison.Ordinal))
        {
            yield return (url, origin + path[..^OpenIdSuffix.Length]);
            yield break;
        }

        if (path.StartsWith(OAuthPrefix, StringComparison.Ordinal))
        {
            yield return (url, origin + path[OAuthPrefix.Length..]);
            yield break;
        }

        var issuer = origin + path.TrimEnd('/');
        yield return (new Uri(issuer + OpenIdSuffix), issuer);
        yield return (new Uri(origin + OAuthPrefix + path.TrimEnd('/')), issuer);
        yield return (url, issuer);
    }

    private static (JsonElement Root, string Text) ReadFile(string path)
    {
        string text;
        try
        {
            if (new FileInfo(path).Length > DocumentFetcher.MaxBytes)
            {
                throw new UsageException($"'{path}' is larger than {DocumentFetcher.MaxBytes} bytes; no discovery document or JWK Set is that large.");
            }

            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"Cannot read '{path}': {e.Message}");
        }

        return AuditDocument.Parse(text, out var error) is { } root
            ? (root, text)
            : throw new UsageException($"Cannot audit '{path}': {error}.");
    }

    private static TimeSpan Timeout(Arguments parsed)
    {
        var value = parsed.Value("--timeout");
        if (value is null)
        {
            return TimeSpan.FromSeconds(10);
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 60
            ? TimeSpan.FromSeconds(seconds)
            : throw new UsageException($"--timeout must be 1 to 60 seconds, not '{value}'.");
    }
}
