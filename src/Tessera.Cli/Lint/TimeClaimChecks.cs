using System.Text.Json;
using Tessera.Cli.Findings;
using Tessera.Cli.Output;
using Tessera.Cli.Unverified;
using Tessera.Tokens;

namespace Tessera.Cli.Lint;

/// <summary>The lint rules over <c>exp</c>, <c>nbf</c> and <c>iat</c>: NumericDate form, order, clock anomalies and lifetime.</summary>
internal static class TimeClaimChecks
{
    /// <summary>How far ahead of now an <c>iat</c> or <c>nbf</c> may be before it is an anomaly (the largest clock skew Tessera accepts).</summary>
    public static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    /// <summary>The longest a refresh token should live (an absolute session limit).</summary>
    public static readonly TimeSpan RefreshMaximumLifetime = TimeSpan.FromDays(30);

    public static void Check(JsonElement claims, TokenKind? kind, DateTimeOffset now, Report report)
    {
        var times = TimeClaim.Names.Select(n => TimeClaim.Read(claims, n)).Where(t => t is not null).Select(t => t!.Value).ToList();
        foreach (var invalid in times.Where(t => t.Problem is not null))
        {
            report.Add(Rules.InvalidTimeClaim, invalid.Problem! + ".", $"payload.{invalid.Name}");
        }

        var iat = times.FirstOrDefault(t => t.Name == "iat").Time;
        var nbf = times.FirstOrDefault(t => t.Name == "nbf").Time;
        var exp = times.FirstOrDefault(t => t.Name == "exp").Time;
        if (exp is { } e)
        {
            report.Notes.Add(e <= now ? $"The token expired {Durations.Relative(e, now)} ({Durations.Date(e)})." : $"The token expires {Durations.Relative(e, now)} ({Durations.Date(e)}).");
            if (iat is { } i && e <= i)
            {
                report.Add(Rules.TimesInconsistent, $"exp ({Durations.Date(e)}) is not after iat ({Durations.Date(i)}).", "payload.exp");
            }

            if (nbf is { } n && e <= n)
            {
                report.Add(Rules.TimesInconsistent, $"exp ({Durations.Date(e)}) is not after nbf ({Durations.Date(n)}): the token is never valid.", "payload.exp");
            }
        }

        if (iat is { } issued && issued > now + Skew)
        {
            report.Add(Rules.IssuedInFuture, $"iat is {Durations.Date(issued)}, {Durations.Relative(issued, now)}: the issuer's clock is ahead or the time is wrong.", "payload.iat");
        }

        if (nbf is { } notBefore)
        {
            if (notBefore > now + Skew)
            {
                report.Add(Rules.NotBeforeAnomaly, $"nbf is {Durations.Date(notBefore)}: the token is not valid for another {Durations.Span(notBefore - now)}.", "payload.nbf");
            }

            if (iat is { } i && notBefore < i - Skew)
            {
                report.Add(Rules.NotBeforeAnomaly, $"nbf is {Durations.Span(i - notBefore)} before iat: the token was valid before it was issued.", "payload.nbf");
            }
        }

        if (exp is { } end && (iat ?? nbf) is { } start && end > start)
        {
            var maximum = kind == TokenKind.Refresh ? RefreshMaximumLifetime : TokenKindRules.Access.MaximumLifetime;
            var lifetime = end - start;
            if (lifetime > maximum)
            {
                report.Add(Rules.LifetimeTooLong, lifetime > maximum * 24 ? Severity.High : Severity.Medium,
                    $"The token lives {Durations.Span(lifetime)} ({(iat is null ? "nbf" : "iat")} to exp); {TokenLinter.Describe(kind)} should live at most {Durations.Span(maximum)}.",
                    "payload.exp");
            }
        }
    }
}
