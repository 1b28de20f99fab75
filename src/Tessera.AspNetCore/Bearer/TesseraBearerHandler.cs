using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Telemetry;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Bearer;

/// <summary>
/// Authenticates requests by a bearer token in the <c>Authorization</c> header only (RFC 6750 §2.1), validated
/// as a token of the scheme's kind against its profile, and answers failures as RFC 6750 §3 says.
/// Claims are exposed under their JWT names, never renamed.
/// </summary>
public sealed class TesseraBearerHandler(
    IOptionsMonitor<TesseraBearerOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    TesseraBearerMetrics metrics,
    TimeProvider time)
    : AuthenticationHandler<TesseraBearerOptions>(options, loggerFactory, encoder)
{
    private const string ChallengeKey = "Tessera.Bearer.Challenge";

    /// <summary>The validation result of an authenticated request, in <see cref="HttpContext.Items"/>.</summary>
    public const string ResultKey = "Tessera.Bearer.Result";

    private new TesseraBearerEvents Events => (TesseraBearerEvents)base.Events!;

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var request = Context.Request;
        if (request.Query.ContainsKey("access_token"))
        {
            return InvalidRequest(InvalidRequestReason.TokenInQueryOrBody);
        }

        var headers = request.Headers.Authorization;
        if (headers.Count == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (headers.Count > 1)
        {
            return InvalidRequest(InvalidRequestReason.SeveralTokens);
        }

        var header = headers[0] ?? string.Empty;
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header.Equals("Bearer", StringComparison.OrdinalIgnoreCase)
                ? InvalidRequest(InvalidRequestReason.MalformedAuthorizationHeader)
                : AuthenticateResult.NoResult();
        }

        var token = header.AsSpan(7).Trim();
        if (token.IsEmpty || token.Contains(' '))
        {
            return InvalidRequest(InvalidRequestReason.MalformedAuthorizationHeader);
        }

        var tokenText = token.ToString();
        var started = time.GetTimestamp();
        var result = await ValidateAsync(tokenText);
        var elapsed = time.GetElapsedTime(started);
        metrics.Validated(Options.Kind, result.Failure, elapsed);

        if (!result.IsValid)
        {
            LoggingExtensions.TokenRejected(Logger, result.ReasonCode!, result.FailedClaim ?? "-", result.Kid ?? "-", result.Algorithm?.Name ?? "-", ClientIdOf(result), TokenFingerprint.Of(tokenText));
            var failed = new TesseraBearerEvents.AuthenticationFailedContext(Context, Scheme, Options, result);
            await Events.AuthenticationFailed(failed);
            Context.Items[ChallengeKey] = BearerChallenge.For(result.Failure!.Value);
            Context.Items[ResultKey] = result;
            return AuthenticateResult.Fail(result.ReasonCode!);
        }

        Context.Items[ResultKey] = result;
        var principal = new ClaimsPrincipal(Identity(result.Claims!, Scheme.Name));
        var validated = new TesseraBearerEvents.TokenValidatedContext(Context, Scheme, Options, result) { Principal = principal };
        await Events.TokenValidated(validated);
        if (validated.Result is not null)
        {
            return validated.Result;
        }

        validated.Success();
        return validated.Result!;
    }

    private async Task<TokenValidationResult> ValidateAsync(string token)
    {
        var validator = new TokenValidator(time);
        var profile = Options.Profile!;
        if (Options.JwksClient is not { } jwks)
        {
            return validator.Validate(token, profile, Options.Keys!);
        }

        var keys = await jwks.GetKeysAsync(Context.RequestAborted);
        if (keys is null)
        {
            // Keys that cannot be fetched (or are stale beyond the bound) verify nothing: fail closed.
            return TokenValidationResult.Fail(profile.Kind, FailureReason.KeyNotFound, "the issuer's keys are unavailable");
        }

        var result = validator.Validate(token, profile, keys);
        if (result.Failure == FailureReason.KeyNotFound)
        {
            // A kid we do not know may be a key the issuer just rotated in: refresh, at most once per interval.
            var refreshed = await jwks.GetKeysForUnknownKidAsync("unknown", Context.RequestAborted);
            if (refreshed is not null && !ReferenceEquals(refreshed, keys))
            {
                result = validator.Validate(token, profile, refreshed);
            }
        }

        return result;
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var challenge = Context.Items.TryGetValue(ChallengeKey, out var stored) ? (BearerChallenge?)stored : null;
        var context = new TesseraBearerEvents.ChallengeContext(Context, Scheme, Options, properties, challenge);
        await Events.Challenge(context);
        if (context.Handled)
        {
            return;
        }

        Response.StatusCode = challenge?.StatusCode ?? StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = challenge is { } c
            ? c.ToHeaderValue(Options.Realm)
            : (Options.Realm is null ? "Bearer" : $"Bearer realm=\"{Options.Realm}\"");
        Response.Headers.CacheControl = "no-store";
    }

    /// <inheritdoc />
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var scope = Context.Items.TryGetValue(ScopeAuthorizationHandler.MissingScopeKey, out var missing) ? missing as string : null;
        var challenge = BearerChallenge.For(FailureReason.InsufficientScope, scope);
        Response.StatusCode = StatusCodes.Status403Forbidden;
        Response.Headers.WWWAuthenticate = challenge.ToHeaderValue(Options.Realm);
        return Task.CompletedTask;
    }

    private AuthenticateResult InvalidRequest(InvalidRequestReason reason)
    {
        LoggingExtensions.InvalidRequest(Logger, reason.ToString());
        Context.Items[ChallengeKey] = BearerChallenge.InvalidRequest(reason);
        return AuthenticateResult.Fail("invalid_request");
    }

    // The client of a rejected token is useful for diagnosis and identifies no person; its subject is never logged.
    private static string ClientIdOf(TokenValidationResult result) => result.UnsafeClaimsOfRejectedToken?.ClientId is { Length: <= 128 } id ? id : "-";

    /// <summary>The token's claims under their own names: arrays become one claim per element, objects stay JSON.</summary>
    internal static ClaimsIdentity Identity(TokenClaims claims, string scheme)
    {
        var identity = new ClaimsIdentity(scheme, "sub", "roles");
        foreach (var name in claims.Names)
        {
            claims.TryGetClaim(name, out var value);
            if (value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in value.EnumerateArray())
                {
                    identity.AddClaim(ToClaim(name, item, claims.Issuer));
                }
            }
            else
            {
                identity.AddClaim(ToClaim(name, value, claims.Issuer));
            }
        }

        return identity;
    }

    private static Claim ToClaim(string name, JsonElement value, string? issuer) => value.ValueKind switch
    {
        JsonValueKind.String => new Claim(name, value.GetString()!, ClaimValueTypes.String, issuer),
        JsonValueKind.Number => new Claim(name, value.GetRawText(), value.TryGetInt64(out _) ? ClaimValueTypes.Integer64 : ClaimValueTypes.Double, issuer),
        JsonValueKind.True or JsonValueKind.False => new Claim(name, value.GetRawText(), ClaimValueTypes.Boolean, issuer),
        _ => new Claim(name, value.GetRawText(), "JSON", issuer),
    };
}
