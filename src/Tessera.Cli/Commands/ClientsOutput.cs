using System.Text.Json;
using Tessera.Cli.CommandLine;
using Tessera.Clients;
using Tessera.Keys;

namespace Tessera.Cli.Commands;

/// <summary>Prints clients as text, or as JSON with <c>--json</c>. Never prints a secret hash or a JWKS's key material.</summary>
internal sealed class ClientsOutput(CliConsole console, bool json)
{
    public void Added(ClientRegistration client, string? secret)
    {
        if (json)
        {
            WriteJson(w =>
            {
                w.WritePropertyName("client");
                WriteClient(w, client);
                if (secret is null)
                {
                    w.WriteNull("clientSecret");
                }
                else
                {
                    w.WriteString("clientSecret", secret);
                }
            });
            return;
        }

        console.Out.WriteLine($"added {ClientRules.Name(client.Type)} client {client.ClientId}");
        console.Out.WriteLine($"client_id:     {client.ClientId}");
        if (secret is not null)
        {
            console.Out.WriteLine($"client_secret: {secret}");
            console.Out.WriteLine("Store the secret now: it is shown only this once and kept only as a hash. If it is lost, remove the client and add it again.");
        }

        WriteDetails(client);
    }

    public void List(IReadOnlyList<ClientRegistration> clients)
    {
        if (json)
        {
            WriteJson(w =>
            {
                w.WriteStartArray("clients");
                foreach (var client in clients)
                {
                    WriteClient(w, client);
                }

                w.WriteEndArray();
            });
            return;
        }

        if (clients.Count == 0)
        {
            console.Out.WriteLine("There are no clients. Register one with 'tessera clients add'.");
            return;
        }

        foreach (var client in clients)
        {
            console.Out.WriteLine($"{client.ClientId}  {ClientRules.Name(client.Type)}  {Authentication(client)}  created {KeysOutput.Time(client.CreatedAt)}");
            WriteDetails(client);
        }
    }

    public void Removed(string clientId)
    {
        if (json)
        {
            WriteJson(w => w.WriteString("removed", clientId));
            return;
        }

        console.Out.WriteLine($"removed client {clientId}; no new tokens are issued to it, and those already issued expire as usual");
    }

    /// <summary>How the client authenticates at the token endpoint (RFC 7591 <c>token_endpoint_auth_method</c>).</summary>
    private static string Authentication(ClientRegistration client) => client switch
    {
        { Jwks: not null } => "private_key_jwt",
        { SecretHash: not null } => "client_secret",
        _ => "none",
    };

    private static IReadOnlyList<string> Kids(ClientRegistration client) =>
        client.Jwks is null ? [] : JsonWebKeySet.Parse(client.Jwks).Keys.Select(k => k.Kid).ToArray();

    private void WriteDetails(ClientRegistration client)
    {
        Line("grants", client.GrantTypes);
        Line("audiences", client.Audiences);
        Line("scopes", client.Scopes);
        Line("redirect URIs", client.RedirectUris);
        Line("JWKS kids", Kids(client));
        if (client.AccessTokenLifetime is { } lifetime)
        {
            console.Out.WriteLine($"  {"lifetime",-14} {(long)lifetime.TotalSeconds} s");
        }

        if (client.FirstParty)
        {
            console.Out.WriteLine($"  {"first party",-14} yes (no consent screen)");
        }
    }

    private void Line(string label, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            console.Out.WriteLine($"  {label,-14} {string.Join(", ", values)}");
        }
    }

    private static void WriteClient(Utf8JsonWriter w, ClientRegistration client)
    {
        w.WriteStartObject();
        w.WriteString("clientId", client.ClientId);
        w.WriteString("type", ClientRules.Name(client.Type));
        w.WriteBoolean("confidential", client.IsConfidential);
        w.WriteString("authentication", Authentication(client));
        WriteArray(w, "grantTypes", client.GrantTypes);
        WriteArray(w, "audiences", client.Audiences);
        WriteArray(w, "scopes", client.Scopes);
        WriteArray(w, "redirectUris", client.RedirectUris);
        WriteArray(w, "jwksKids", Kids(client));
        if (client.AccessTokenLifetime is { } lifetime)
        {
            w.WriteNumber("accessTokenLifetimeSeconds", (long)lifetime.TotalSeconds);
        }
        else
        {
            w.WriteNull("accessTokenLifetimeSeconds");
        }

        w.WriteBoolean("firstParty", client.FirstParty);
        w.WriteString("createdAt", KeysOutput.Time(client.CreatedAt));
        w.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }

    private void WriteJson(Action<Utf8JsonWriter> body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
