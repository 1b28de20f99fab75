using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Introspection;

namespace Tessera.AspNetCore.Bff;

/// <summary>Refuses to start with an unusable BFF configuration, naming each fix.</summary>
internal sealed class TesseraBffOptionsValidator : IValidateOptions<TesseraBffOptions>
{
    public ValidateOptionsResult Validate(string? name, TesseraBffOptions options)
    {
        var errors = Check(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static List<string> Check(TesseraBffOptions options)
    {
        var errors = new List<string>();
        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) || authority.Query.Length > 0 || authority.Fragment.Length > 0)
        {
            errors.Add("TesseraBff: set Authority to the token service's issuer URL, e.g. https://id.example.com.");
        }
        else if (!HttpsPolicy.IsAcceptable(authority))
        {
            errors.Add("TesseraBff: Authority must use https:// (plain http only on loopback).");
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            errors.Add("TesseraBff: set ClientId to the id of the web client registered for this BFF (tessera clients add --type web …).");
        }

        if (string.IsNullOrEmpty(options.ClientSecret))
        {
            errors.Add("TesseraBff: set ClientSecret (from configuration or a secret store, never from source code); the BFF is a confidential client.");
        }

        if (string.IsNullOrWhiteSpace(options.ApiAudience))
        {
            errors.Add("TesseraBff: set ApiAudience to the API's audience, e.g. api://orders.");
        }

        if (options.ApiBaseAddress is not { IsAbsoluteUri: true } api || !HttpsPolicy.IsAcceptable(api) || api.Query.Length > 0)
        {
            errors.Add("TesseraBff: set ApiBaseAddress to the API's absolute https:// URL (plain http only on loopback), without a query.");
        }

        if (options.PublicOrigin is { } origin && (!origin.IsAbsoluteUri || !HttpsPolicy.IsAcceptable(origin)))
        {
            errors.Add("TesseraBff: PublicOrigin must be an absolute https:// URL (plain http only on loopback): the session cookie is Secure.");
        }

        if (options.Scopes.Any(s => string.IsNullOrWhiteSpace(s) || s.Contains(' ', StringComparison.Ordinal)))
        {
            errors.Add("TesseraBff: each entry of Scopes must be one non-empty scope without spaces.");
        }

        if (options.SessionLifetime <= TimeSpan.Zero || options.SessionLifetime > TimeSpan.FromDays(30))
        {
            errors.Add("TesseraBff: SessionLifetime must be positive and at most 30 days (default 8 hours).");
        }

        if (options.RefreshBeforeExpiry < TimeSpan.Zero || options.RefreshBeforeExpiry > TimeSpan.FromMinutes(5))
        {
            errors.Add("TesseraBff: RefreshBeforeExpiry must be 0 to 5 minutes (default 30 s).");
        }

        if (options.LoginTimeout <= TimeSpan.Zero || options.LoginTimeout > TimeSpan.FromHours(1))
        {
            errors.Add("TesseraBff: LoginTimeout must be positive and at most 1 hour (default 10 minutes).");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(2))
        {
            errors.Add("TesseraBff: Timeout must be positive and at most 2 minutes (default 10 s).");
        }

        if (!options.UseDistributedCache && string.IsNullOrWhiteSpace(options.SessionDatabasePath))
        {
            errors.Add("TesseraBff: set SessionDatabasePath (the SQLite session store's file), or UseDistributedCache = true.");
        }

        if (options.MaxForwardedBodyBytes is < 0 or > 64 * 1024 * 1024)
        {
            errors.Add("TesseraBff: MaxForwardedBodyBytes must be 0 to 64 MiB (default 1 MiB).");
        }

        return errors;
    }
}
