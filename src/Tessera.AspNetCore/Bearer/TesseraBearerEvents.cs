using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Bearer;

/// <summary>Hooks into the Tessera bearer handler.</summary>
public class TesseraBearerEvents
{
    /// <summary>After a token validated; the principal can be replaced or the request failed.</summary>
    public Func<TokenValidatedContext, Task> OnTokenValidated { get; set; } = _ => Task.CompletedTask;

    /// <summary>After a token was rejected (the reason is in <see cref="AuthenticationFailedContext.Validation"/>).</summary>
    public Func<AuthenticationFailedContext, Task> OnAuthenticationFailed { get; set; } = _ => Task.CompletedTask;

    /// <summary>Before the 401 is written; call <see cref="ChallengeContext.HandleResponse"/> to write your own.</summary>
    public Func<ChallengeContext, Task> OnChallenge { get; set; } = _ => Task.CompletedTask;

    /// <summary>Invokes <see cref="OnTokenValidated"/>.</summary>
    public virtual Task TokenValidated(TokenValidatedContext context) => OnTokenValidated(context);

    /// <summary>Invokes <see cref="OnAuthenticationFailed"/>.</summary>
    public virtual Task AuthenticationFailed(AuthenticationFailedContext context) => OnAuthenticationFailed(context);

    /// <summary>Invokes <see cref="OnChallenge"/>.</summary>
    public virtual Task Challenge(ChallengeContext context) => OnChallenge(context);

    /// <summary>Context of <see cref="OnTokenValidated"/>.</summary>
    public sealed class TokenValidatedContext(HttpContext context, AuthenticationScheme scheme, TesseraBearerOptions options, TokenValidationResult result)
        : ResultContext<TesseraBearerOptions>(context, scheme, options)
    {
        /// <summary>The validation result, with the token's claims.</summary>
        public TokenValidationResult Validation { get; } = result;
    }

    /// <summary>Context of <see cref="OnAuthenticationFailed"/>.</summary>
    public sealed class AuthenticationFailedContext(HttpContext context, AuthenticationScheme scheme, TesseraBearerOptions options, TokenValidationResult result)
        : BaseContext<TesseraBearerOptions>(context, scheme, options)
    {
        /// <summary>The failed validation result.</summary>
        public TokenValidationResult Validation { get; } = result;
    }

    /// <summary>Context of <see cref="OnChallenge"/>.</summary>
    public sealed class ChallengeContext(HttpContext context, AuthenticationScheme scheme, TesseraBearerOptions options, AuthenticationProperties properties, BearerChallenge? challenge)
        : PropertiesContext<TesseraBearerOptions>(context, scheme, options, properties)
    {
        /// <summary>The RFC 6750 answer about to be sent; null when the request carried no token.</summary>
        public BearerChallenge? Challenge { get; } = challenge;

        /// <summary>True when the handler must not write the response.</summary>
        public bool Handled { get; private set; }

        /// <summary>Skips the default response.</summary>
        public void HandleResponse() => Handled = true;
    }
}
