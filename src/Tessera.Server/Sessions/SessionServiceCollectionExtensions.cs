using Microsoft.AspNetCore.Antiforgery;
using Tessera.Server.Login;
using Tessera.Storage.Sqlite;
using Tessera.Storage.Sqlite.Sessions;
using Tessera.Storage.Sqlite.Users;

namespace Tessera.Server.Sessions;

/// <summary>Registers user sign-in, authorization codes, refresh tokens and the enforcement of revocation triggers on sessions.</summary>
internal static class SessionServiceCollectionExtensions
{
    /// <exception cref="InvalidOperationException">A <c>Tessera:Sessions</c> setting is unsafe; the message names the fix.</exception>
    public static IServiceCollection AddTesseraSessions(this IServiceCollection services, IConfiguration configuration, SqliteDatabase database)
    {
        var options = configuration.GetSection(UserSessionOptions.Section).Get<UserSessionOptions>() ?? new UserSessionOptions();
        options.Validate();
        services.AddSingleton(options);
        services.AddSingleton(new SqliteUserStore(database));
        services.AddSingleton(new SqliteSignInSessionStore(database));
        services.AddSingleton(new SqliteAuthorizationCodeStore(database));
        services.AddSingleton(new SqliteRefreshTokenStore(database));
        services.AddSingleton<SessionMetrics>();
        services.AddSingleton<SessionCookie>();
        services.AddSingleton<Cutoffs>();
        services.AddSingleton<TriggerEnforcer>();
        services.AddHostedService(sp => sp.GetRequiredService<TriggerEnforcer>());
        services.AddSingleton<SignInSessions>();
        services.AddSingleton<RefreshSuccessors>();
        services.AddSingleton<FamilyRevocations>();
        services.AddSingleton<UserTokenIssuer>();
        services.AddSingleton<CodeExchange>();
        services.AddSingleton<RefreshExchange>();
        services.AddSingleton<RefreshTokenRevocation>();
        services.AddSingleton<UserTokenEndpoint>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<LoginEndpoint>();
        services.AddSingleton<AuthorizeEndpoint>();
        services.AddSingleton<LogoutEndpoint>();
        services.AddSingleton<AccountEndpoint>();
        services.AddAntiforgery();
        services.AddOptions<AntiforgeryOptions>().Configure<SessionCookie>((antiforgery, cookie) =>
        {
            antiforgery.Cookie.Name = cookie.Secure ? "__Host-tessera-af" : "tessera-af";
            antiforgery.Cookie.SecurePolicy = cookie.Secure ? CookieSecurePolicy.Always : CookieSecurePolicy.None;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.HttpOnly = true;
            antiforgery.Cookie.Path = "/";
            antiforgery.SuppressXFrameOptionsHeader = true; // the pages send DENY themselves
        });
        return services;
    }
}
