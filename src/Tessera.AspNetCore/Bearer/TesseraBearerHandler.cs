using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.AspNetCore.Diagnostics;
using Tessera.AspNetCore.Introspection;
using Tessera.AspNetCore.Revocation;
using Tessera.Telemetry;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Bearer;

/// <summary>
/// Authenticates requests by a bearer token in the <c>Authorization</c> header only (RFC 6750 §2.1), validated
/// as a token of the scheme's kind against its profile, and answers failures as RFC 6750 §3 says. On endpoints that
/// demand it, it also requires fresh revocation state or a live introspection, and fails closed (503) without them.
/// Rejections are logged (fingerprint, never the token), counted, and fed to the failure-signal analyser.
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
    private const string ChallengeKey = "Tessera.Bearer.Challenge:";
    private const string UnavailableKey = "Tessera.Bearer.Unavailable:";
    private const int RetryAfterSeconds = 5;
    private const string KeysUnavailableDetail = "the issuer's keys are unavailable";

    /// <summary>The validation result of the last Tessera scheme that authenticated the request, in <see cref="HttpContext.Items"/>.</summary>
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
        metrics.Validated(Options.Kind, Scheme.Name, result.Failure, time.GetElapsedTime(started));
        if (!result.IsValid)
        {
            return await RejectAsync(tokenText, result);
        }

        var endpoint = Context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<RequireFreshRevocationAttribute>() is { } fresh && !CheckFreshness(fresh, result, tokenText))
        {
            return AuthenticateResult.Fail("revocation_state_stale");
        }

        if (endpoint?.Metadata.GetMetadata<RequireIntrospectionAttribute>() is not null)
        {
            var refused = await IntrospectAsync(tokenText, result);
            if (refused is not null)
            {
                return refused;
            }
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
            return TokenValidationResult.Fail(profile.Kind, FailureReason.KeyNotFound, KeysUnavailableDetail);
        }

        var result = validator.Validate(token, profile, keys);
        if (result.Failure == FailureReason.KeyNotFound && RejectedTokenFacts.ReadHeader(token).Kid is { } kid)
        {
            // A kid we do not know may be a key the issuer just rotated in: refresh, at most once per interval.
            var refreshed = await jwks.GetKeysForUnknownKidAsync(kid, Context.RequestAborted);
            if (refreshed is not null && !ReferenceEquals(refreshed, keys))
            {
                result = validator.Validate(token, profile, refreshed);
            }
        }

        return result;
    }

    private async Task<AuthenticateResult> RejectAsync(string token, TokenValidationResult result)
    {
        var facts = RejectedTokenFacts.Of(token, result);
        RejectionLog.TokenRejected(Logger, result.Failure!.Value, result.FailedClaim ?? "-", facts.Kid ?? "-", facts.Algorithm ?? "-", facts.ClientId ?? "-", TokenFingerprint.Of(token));
        // Keys this API could not fetch say nothing about the token or its sender (the JWKS client logs that itself).
        var analyzer = string.Equals(result.Detail, KeysUnavailableDetail, StringComparison.Ordinal) ? null : Options.Analyzer;
        analyzer?.Observe(new FailureSignal(
            result.Failure!.Value,
            Context.Connection.RemoteIpAddress?.ToString(),
            facts.ClientId,
            facts.Kid,
            facts.Algorithm,
            facts.IssuedAt,
            facts.NotBefore,
            facts.ExpiresAt));
        var failed = new TesseraBearerEvents.AuthenticationFailedContext(Context, Scheme, Options, result);
        await Events.AuthenticationFailed(failed);
        Context.Items[ChallengeKey + Scheme.Name] = BearerChallenge.For(result.Failure!.Value);
        Context.Items[ResultKey] = result;
        return AuthenticateResult.Fail(result.ReasonCode!);
    }

    private bool CheckFreshness(RequireFreshRevocationAttribute fresh, TokenValidationResult result, string token)
    {
        if (Options.FeedState is not { } state)
        {
            FailClosed("revocation_state_stale", result, token, "the endpoint requires fresh revocation state but no revocation feed is configured; call services.AddTesseraRevocationFeed(...)");
            return false;
        }

        var bound = fresh.MaxStaleness ?? state.MaxStaleness;
        if (!state.IsFresh(bound))
        {
            var age = state.Staleness is { } s ? $"last confirmed {s.TotalSeconds:0.0} s ago" : "never confirmed since start";
            FailClosed("revocation_state_stale", result, token, $"revocation state {age}, bound {bound.TotalSeconds:0.#} s");
            return false;
        }

        Context.Items[BearerCheckRequirement.FreshRevocation] = true;
        return true;
    }

    private async Task<AuthenticateResult?> IntrospectAsync(string token, TokenValidationResult result)
    {
        if (Options.Introspection is not { } client)
        {
            FailClosed("introspection_unavailable", result, token, "the endpoint requires introspection but none is configured; call services.AddTesseraIntrospection(...)");
            return AuthenticateResult.Fail("introspection_unavailable");
        }

        var claims = result.Claims!;
        var status = await client.IntrospectAsync(token, claims.ExpiresAt, claims.TokenId, Context.RequestAborted);
        switch (status)
        {
            case IntrospectionStatus.Active:
                Context.Items[BearerCheckRequirement.Introspection] = true;
                return null;
            case IntrospectionStatus.Inactive:
                LoggingExtensions.TokenInactive(Logger, Printable(claims.ClientId), TokenFingerprint.Of(token));
                var revoked = TokenValidationResult.Fail(result.Kind, FailureReason.Revoked, "the token service reports the token inactive", null, result.Kid, result.Algorithm);
                Context.Items[ChallengeKey + Scheme.Name] = BearerChallenge.For(FailureReason.Revoked);
                Context.Items[ResultKey] = revoked;
                return AuthenticateResult.Fail(FailureReason.Revoked.ToCode());
            default:
                FailClosed("introspection_unavailable", result, token, "the token service gave no usable introspection answer");
                return AuthenticateResult.Fail("introspection_unavailable");
        }
    }

    private void FailClosed(string errorType, TokenValidationResult result, string token, string detail)
    {
        metrics.FailedClosed(errorType, Scheme.Name);
        LoggingExtensions.FailedClosed(Logger, errorType, Context.GetEndpoint()?.DisplayName ?? Request.Path.Value ?? "-", Printable(result.Claims?.ClientId), TokenFingerprint.Of(token), detail);
        Context.Items[UnavailableKey + Scheme.Name] = true;
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items.ContainsKey(UnavailableKey + Scheme.Name))
        {
            // Not the token's fault and nothing the client can fix by sending another: no WWW-Authenticate challenge.
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Response.Headers.CacheControl = "no-store";
            return;
        }

        var challenge = Context.Items.TryGetValue(ChallengeKey + Scheme.Name, out var stored) ? (BearerChallenge?)stored : null;
        var context = new TesseraBearerEvents.ChallengeContext(Context, Scheme, Options, properties, challenge);
        await Events.Challenge(context);
        if (context.Handled)
        {
            return;
        }

        Response.StatusCode = challenge?.StatusCode ?? StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = challenge is { } c
            ? c.ToHeaderValue(Options.Realm)
            : (Options.Realm is null ? "Bearer" : $"Bearer realm=\"{string.Concat(Options.Realm.Where(ch => ch is >= ' ' and <= '~' and not '"' and not '\\'))}\"");
        Response.Headers.CacheControl = "no-store";
    }

    /// <inheritdoc />
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        Response.Headers.CacheControl = "no-store";
        if (Context.Items.TryGetValue(ScopeAuthorizationHandler.MissingScopeKey, out var missing) && missing is string scope)
        {
            Response.Headers.WWWAuthenticate = BearerChallenge.For(FailureReason.InsufficientScope, scope).ToHeaderValue(Options.Realm);
        }

        return Task.CompletedTask;
    }

    private AuthenticateResult InvalidRequest(InvalidRequestReason reason)
    {
        LoggingExtensions.InvalidRequest(Logger, reason.ToString());
        Context.Items[ChallengeKey + Scheme.Name] = BearerChallenge.InvalidRequest(reason);
        return AuthenticateResult.Fail("invalid_request");
    }

    private static string Printable(string? value) =>
        value is { Length: > 0 and <= 128 } && !value.AsSpan().ContainsAnyExceptInRange(' ', '~') ? value : "-";

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
