using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Tessera.Clients;

namespace Tessera.Storage.Sqlite.Clients;

/// <summary>Maps a <see cref="ClientRegistration"/> to a <c>clients</c> row and back; lists are JSON arrays of strings.</summary>
internal static class ClientRow
{
    public static void Bind(SqliteParameterCollection p, ClientRegistration client, DateTimeOffset createdAt)
    {
        p.AddWithValue("$client_id", client.ClientId);
        p.AddWithValue("$type", ClientRules.Name(client.Type));
        p.Add("$secret_hash", SqliteType.Blob).Value = (object?)client.SecretHash ?? DBNull.Value;
        p.AddWithValue("$jwks", (object?)client.Jwks ?? DBNull.Value);
        p.AddWithValue("$grant_types", ToJson(client.GrantTypes));
        p.AddWithValue("$audiences", ToJson(client.Audiences));
        p.AddWithValue("$scopes", ToJson(client.Scopes));
        p.AddWithValue("$redirect_uris", ToJson(client.RedirectUris));
        p.AddWithValue("$lifetime", client.AccessTokenLifetime is { } lifetime ? (long)lifetime.TotalSeconds : DBNull.Value);
        p.AddWithValue("$first_party", client.FirstParty ? 1 : 0);
        p.AddWithValue("$created_at", createdAt.ToUnixTimeMilliseconds());
    }

    /// <summary>Reads the columns in the store's column order.</summary>
    public static ClientRegistration Read(SqliteDataReader reader)
    {
        var clientId = reader.GetString(0);
        if (!ClientRules.TryParseType(reader.GetString(1), out var type))
        {
            throw new InvalidOperationException($"Client '{clientId}' has unknown type '{reader.GetString(1)}'. The database was written by a newer Tessera or altered; upgrade, or restore it from a backup.");
        }

        return new ClientRegistration
        {
            ClientId = clientId,
            Type = type,
            SecretHash = reader.IsDBNull(2) ? null : (byte[])reader.GetValue(2),
            Jwks = reader.IsDBNull(3) ? null : reader.GetString(3),
            GrantTypes = FromJson(reader.GetString(4), clientId),
            Audiences = FromJson(reader.GetString(5), clientId),
            Scopes = FromJson(reader.GetString(6), clientId),
            RedirectUris = FromJson(reader.GetString(7), clientId),
            AccessTokenLifetime = reader.IsDBNull(8) ? null : TimeSpan.FromSeconds(reader.GetInt64(8)),
            FirstParty = reader.GetInt64(9) != 0,
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(10)),
        };
    }

    private static string ToJson(IReadOnlyList<string> values)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string[] FromJson(string json, string clientId)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidOperationException($"Client '{clientId}' has a list column that is not a JSON array. The database has been altered; restore it from a backup.");
        }

        return document.RootElement.EnumerateArray()
            .Select(e => e.ValueKind == JsonValueKind.String
                ? e.GetString()!
                : throw new InvalidOperationException($"Client '{clientId}' has a list entry that is not a string. The database has been altered; restore it from a backup."))
            .ToArray();
    }
}
