using Microsoft.Extensions.Options;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Bearer;

/// <summary>Start-up validation of <see cref="TesseraBearerOptions"/>, with the fix in every message.</summary>
internal sealed class TesseraBearerOptionsValidator : IValidateOptions<TesseraBearerOptions>
{
    public ValidateOptionsResult Validate(string? name, TesseraBearerOptions options)
    {
        var problems = Check(name, options);
        if (problems.Count == 0 && options.Profile is null)
        {
            problems.Add($"Tessera bearer scheme '{name}': the token profile was not built. Register the scheme with AddTesseraBearer.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    internal static List<string> Check(string? name, TesseraBearerOptions options)
    {
        var prefix = $"Tessera bearer scheme '{name}': ";
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            problems.Add(prefix + "Issuer is not set. Set options.Issuer to the token service's issuer, e.g. \"https://id.example.com\".");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            problems.Add(prefix + "Audience is not set. Set options.Audience to this API's identifier, e.g. \"api://orders\".");
        }

        if (options.Kind is not (TokenKind.Access or TokenKind.Service))
        {
            problems.Add(prefix + $"Kind is {options.Kind}; an API accepts access or service tokens only (ID tokens are for clients, refresh tokens for the token service).");
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > TokenProfile.MaxClockSkew)
        {
            problems.Add(prefix + "ClockSkew must be 0 to 300 seconds (default 30 s). Fix clocks with NTP rather than widening the skew.");
        }

        if (problems.Count == 0)
        {
            try
            {
                var probe = new TokenProfileOptions { Keys = options.Keys, ClockSkew = options.ClockSkew };
                probe.Issuers.Add(options.Issuer!);
                probe.Audiences.Add(options.Audience!);
                foreach (var algorithm in options.AllowedAlgorithms)
                {
                    probe.AllowedAlgorithms.Add(algorithm);
                }

                if (probe.Keys is null && probe.AllowedAlgorithms.Count == 0)
                {
                    probe.AllowedAlgorithms.Add(Jose.JwsAlgorithm.ES256);
                }

                options.ConfigureProfile?.Invoke(probe);
                TokenProfile.Create(options.Kind, probe);
            }
            catch (TesseraConfigurationException e)
            {
                problems.Add(prefix + e.Message);
            }
        }

        return problems;
    }
}
