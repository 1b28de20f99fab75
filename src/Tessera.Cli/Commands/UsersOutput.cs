using System.Text.Json;
using Tessera.Cli.CommandLine;
using Tessera.Storage.Sqlite.Users;

namespace Tessera.Cli.Commands;

/// <summary>Prints users as text, or as JSON with <c>--json</c>. Never prints a password hash; a password only when it was generated.</summary>
internal sealed class UsersOutput(CliConsole console, bool json)
{
    public void Added(UserAccount user, string? generatedPassword)
    {
        if (json)
        {
            WriteJson(w =>
            {
                w.WritePropertyName("user");
                WriteUser(w, user);
                WritePassword(w, generatedPassword);
            });
            return;
        }

        console.Out.WriteLine($"added user {user.Username} (sub {user.UserId}{(user.Tenant is null ? "" : $", tenant {user.Tenant}")})");
        PrintPassword(generatedPassword);
    }

    public void List(IReadOnlyList<UserAccount> users)
    {
        if (json)
        {
            WriteJson(w =>
            {
                w.WriteStartArray("users");
                foreach (var user in users)
                {
                    WriteUser(w, user);
                }

                w.WriteEndArray();
            });
            return;
        }

        if (users.Count == 0)
        {
            console.Out.WriteLine("There are no users. Add one with 'tessera users add'.");
            return;
        }

        var now = console.Time.GetUtcNow();
        foreach (var user in users)
        {
            var locked = user.IsLockedAt(now) ? $"  locked until {KeysOutput.Time(user.LockedUntil!.Value)}" : "";
            console.Out.WriteLine($"{user.Username}  {user.UserId}  {user.Tenant ?? "-"}  created {KeysOutput.Time(user.CreatedAt)}{locked}");
        }
    }

    public void Removed(UserAccount user, int sessions, int families)
    {
        if (json)
        {
            WriteJson(w =>
            {
                w.WriteString("removed", user.Username);
                w.WriteString("sub", user.UserId);
                w.WriteNumber("sessionsEnded", sessions);
                w.WriteNumber("refreshFamiliesRevoked", families);
            });
            return;
        }

        console.Out.WriteLine($"removed user {user.Username} (sub {user.UserId}); sessions ended: {sessions}, refresh token families revoked: {families}");
    }

    public void PasswordSet(UserAccount user, string? generatedPassword, int sessions, int families)
    {
        if (json)
        {
            WriteJson(w =>
            {
                w.WriteString("passwordSet", user.Username);
                w.WriteString("sub", user.UserId);
                WritePassword(w, generatedPassword);
                w.WriteNumber("sessionsEnded", sessions);
                w.WriteNumber("refreshFamiliesRevoked", families);
            });
            return;
        }

        console.Out.WriteLine($"set the password of {user.Username}; sessions ended: {sessions}, refresh token families revoked: {families}");
        PrintPassword(generatedPassword);
        console.Out.WriteLine("Access tokens already issued stay valid until they expire (minutes); to cut them off now, send the password_reset trigger (docs/revocation.md).");
    }

    private void PrintPassword(string? generated)
    {
        if (generated is not null)
        {
            console.Out.WriteLine($"password: {generated}");
            console.Out.WriteLine("Give it to the user now: it is shown only this once and kept only as a hash.");
        }
    }

    private static void WritePassword(Utf8JsonWriter w, string? generated)
    {
        if (generated is null)
        {
            w.WriteNull("password");
        }
        else
        {
            w.WriteString("password", generated);
        }
    }

    private static void WriteUser(Utf8JsonWriter w, UserAccount user)
    {
        w.WriteStartObject();
        w.WriteString("username", user.Username);
        w.WriteString("sub", user.UserId);
        if (user.Tenant is null)
        {
            w.WriteNull("tenant");
        }
        else
        {
            w.WriteString("tenant", user.Tenant);
        }

        w.WriteString("createdAt", KeysOutput.Time(user.CreatedAt));
        w.WriteString("passwordChangedAt", KeysOutput.Time(user.PasswordChangedAt));
        if (user.LockedUntil is { } locked)
        {
            w.WriteString("lockedUntil", KeysOutput.Time(locked));
        }
        else
        {
            w.WriteNull("lockedUntil");
        }

        w.WriteEndObject();
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
