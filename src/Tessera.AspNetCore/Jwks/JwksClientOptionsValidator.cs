using Microsoft.Extensions.Options;

namespace Tessera.AspNetCore.Jwks;

/// <summary>Checks <see cref="JwksClientOptions"/> at start-up; every message names the fix.</summary>
internal sealed class JwksClientOptionsValidator : IValidateOptions<JwksClientOptions>
{
    private const string Prefix = nameof(JwksClientOptions) + ".";
    private static readonly TimeSpan MaxInterval = TimeSpan.FromHours(1);
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan MaxStalenessLimit = TimeSpan.FromDays(7);
    private const int MinResponseBytes = 1024;
    private const int MaxResponseBytesLimit = 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, JwksClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = Check(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Every problem with <paramref name="options"/>, each with its fix; empty when they are usable.</summary>
    public static List<string> Check(JwksClientOptions options)
    {
        var errors = new List<string>();
        CheckSource(options, errors);

        if (options.AllowedAlgorithms is null || options.AllowedAlgorithms.Count == 0)
        {
            errors.Add($"{Prefix}AllowedAlgorithms is empty. Add the algorithms your issuer signs with, e.g. JwsAlgorithm.RS256 or JwsAlgorithm.ES256.");
        }
        else if (options.AllowedAlgorithms.Any(a => a is null))
        {
            errors.Add($"{Prefix}AllowedAlgorithms contains null. Remove it.");
        }
        else if (options.AllowedAlgorithms.FirstOrDefault(a => a.IsSymmetric) is { } symmetric)
        {
            errors.Add(
                $"{Prefix}AllowedAlgorithms contains {symmetric.Name}. A JWK Set publishes public keys only; validate HMAC tokens with " +
                "a locally configured secret, not a JWKS client.");
        }

        CheckRange(errors, nameof(options.MinimumRefreshInterval), options.MinimumRefreshInterval, TimeSpan.FromSeconds(1), MaxInterval);
        CheckRange(errors, nameof(options.MinimumMaxAge), options.MinimumMaxAge, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7));
        CheckRange(errors, nameof(options.MaximumMaxAge), options.MaximumMaxAge, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7));
        CheckRange(errors, nameof(options.DefaultMaxAge), options.DefaultMaxAge, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7));
        CheckRange(errors, nameof(options.MaxStaleness), options.MaxStaleness, TimeSpan.Zero, MaxStalenessLimit);
        CheckRange(errors, nameof(options.Timeout), options.Timeout, TimeSpan.FromMilliseconds(100), MaxTimeout);

        if (options.MinimumMaxAge > options.MaximumMaxAge)
        {
            errors.Add($"{Prefix}MinimumMaxAge ({options.MinimumMaxAge}) is longer than MaximumMaxAge ({options.MaximumMaxAge}). Make MinimumMaxAge the smaller one.");
        }

        if (options.DefaultMaxAge < options.MinimumMaxAge || options.DefaultMaxAge > options.MaximumMaxAge)
        {
            errors.Add($"{Prefix}DefaultMaxAge ({options.DefaultMaxAge}) is outside MinimumMaxAge..MaximumMaxAge. Choose a value between them.");
        }

        if (options.MinimumMaxAge < options.MinimumRefreshInterval)
        {
            errors.Add(
                $"{Prefix}MinimumMaxAge ({options.MinimumMaxAge}) is shorter than MinimumRefreshInterval ({options.MinimumRefreshInterval}), " +
                "so sets would expire before the client may fetch again. Raise MinimumMaxAge or lower MinimumRefreshInterval.");
        }

        if (options.MaxResponseBytes is < MinResponseBytes or > MaxResponseBytesLimit)
        {
            errors.Add($"{Prefix}MaxResponseBytes is {options.MaxResponseBytes}. Set it between {MinResponseBytes} and {MaxResponseBytesLimit} bytes (the default 65536 fits a few dozen keys).");
        }

        return errors;
    }

    private static void CheckSource(JwksClientOptions options, List<string> errors)
    {
        if (options.JwksUri is not null)
        {
            if (options.MetadataAddress is not null)
            {
                errors.Add($"{Prefix}JwksUri and MetadataAddress are both set. Set JwksUri to fetch keys directly, or MetadataAddress (with Issuer) to use discovery, not both.");
            }

            CheckUrl(errors, nameof(options.JwksUri), options.JwksUri, options.RequireHttps);
        }
        else if (options.Issuer is null)
        {
            errors.Add($"{Prefix}JwksUri and Issuer are both unset. Set JwksUri to the JWK Set URL, or Issuer to find it through discovery.");
        }

        if (options.Issuer is not null)
        {
            if (!Uri.TryCreate(options.Issuer, UriKind.Absolute, out var issuer) || issuer.Query.Length > 0 || issuer.Fragment.Length > 0)
            {
                errors.Add($"{Prefix}Issuer '{options.Issuer}' is not an absolute URL without query or fragment. Set it to the issuer identifier exactly as tokens carry it in \"iss\".");
            }
            else if (options.JwksUri is null)
            {
                CheckUrl(errors, nameof(options.Issuer), issuer, options.RequireHttps);
            }
        }

        if (options.MetadataAddress is not null)
        {
            if (options.Issuer is null)
            {
                errors.Add($"{Prefix}MetadataAddress is set without Issuer. Set Issuer, so the discovery document's \"issuer\" can be checked.");
            }

            CheckUrl(errors, nameof(options.MetadataAddress), options.MetadataAddress, options.RequireHttps);
        }
    }

    private static void CheckUrl(List<string> errors, string name, Uri url, bool requireHttps)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"{Prefix}{name} '{url}' is not an absolute http(s) URL. Use the full https:// URL.");
        }
        else if (requireHttps && !IsAllowedScheme(url))
        {
            errors.Add($"{Prefix}{name} '{url}' uses plain HTTP. Use https:// (plain HTTP is allowed only for loopback hosts).");
        }
    }

    private static void CheckRange(List<string> errors, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{Prefix}{name} is {value}. Set it between {min} and {max}.");
        }
    }

    /// <summary>True for https URLs, and for http URLs whose host is a loopback address or <c>localhost</c>.</summary>
    internal static bool IsAllowedScheme(Uri url)
    {
        if (url.Scheme == Uri.UriSchemeHttps)
        {
            return true;
        }

        if (url.Scheme != Uri.UriSchemeHttp)
        {
            return false;
        }

        // Uri.IsLoopback is true for "localhost" and for 127.0.0.0/8 and ::1 literals, and never resolves names.
        return url.IsLoopback;
    }
}
