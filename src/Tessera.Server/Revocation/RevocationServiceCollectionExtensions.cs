using Tessera.Revocation;
using Tessera.Storage.Sqlite;
using Tessera.Storage.Sqlite.Revocation;

namespace Tessera.Server.Revocation;

/// <summary>Registers revocation (RFC 7009), the admin triggers and the revocation feed (RFC 8417 / RFC 8936).</summary>
internal static class RevocationServiceCollectionExtensions
{
    public static IServiceCollection AddTesseraRevocation(this IServiceCollection services, SqliteDatabase database)
    {
        services.AddSingleton<IRevocationStore>(sp => new SqliteRevocationStore(database, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<FeedSignal>();
        services.AddSingleton<SecurityEventWriter>();
        services.AddSingleton<IssuedTokenRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<IssuedTokenRecorder>());
        services.AddSingleton<RevocationService>();
        services.AddHostedService<RevocationStartup>();
        services.AddSingleton<RevocationEndpoint>();
        services.AddSingleton<AdminTriggersEndpoint>();
        services.AddSingleton<FeedPollEndpoint>();
        return services;
    }
}
