using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Tessera.Cli;
using Tessera.Cli.CommandLine;
using Tessera.Storage.Sqlite.Sessions;
using Tessera.Storage.Sqlite.Users;

namespace Tessera.Storage.Sqlite.Tests.Users;

public sealed class UsersCommandTests : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-05-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose() => _temp.Dispose();

    private (int Exit, string Out, string Error) Run(string? stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var input = new StringReader(stdin ?? string.Empty);
        var exit = TesseraCli.Run(["users", .. args], new CliConsole(input, output, error, _time));
        return (exit, output.ToString(), error.ToString());
    }

    private SqliteUserStore Store => new(SqliteDatabase.Open(_temp.Path));

    [Fact]
    public async Task Add_PasswordFromStdin_StoredOnlyAsAHash()
    {
        var (exit, stdout, stderr) = Run("a long pass phrase\n", "add", "--db", _temp.Path, "--username", "alice", "--tenant", "acme", "--password-stdin", "--json");

        Assert.Equal(0, exit);
        Assert.Empty(stderr);
        using var json = JsonDocument.Parse(stdout);
        var user = json.RootElement.GetProperty("user");
        Assert.Equal("alice", user.GetProperty("username").GetString());
        Assert.Equal("acme", user.GetProperty("tenant").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("password").ValueKind);
        Assert.DoesNotContain("pass phrase", stdout, StringComparison.Ordinal);
        var stored = await Store.FindByUsernameAsync("alice");
        Assert.Equal(user.GetProperty("sub").GetString(), stored!.UserId);
        Assert.Equal(PasswordCheck.Succeeded, UserPasswords.Verify(stored.PasswordHash, "a long pass phrase"));
        Assert.DoesNotContain("pass phrase", System.Text.Encoding.UTF8.GetString(_temp.FileBytes()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_GeneratedPassword_PrintedOnceAndWorks()
    {
        var (exit, stdout, _) = Run(null, "add", "--db", _temp.Path, "--username", "bob", "--generate-password", "--json");
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        var password = json.RootElement.GetProperty("password").GetString()!;
        Assert.True(password.Length >= 20);
        Assert.Equal(PasswordCheck.Succeeded, UserPasswords.Verify((await Store.FindByUsernameAsync("bob"))!.PasswordHash, password));
    }

    [Theory]
    [InlineData("short\n", "at least 8")]
    [InlineData("", "standard input is empty")]
    public void Add_BadPassword_Exit2WithTheFix(string stdin, string message)
    {
        var (exit, _, stderr) = Run(stdin, "add", "--db", _temp.Path, "--username", "carol", "--password-stdin");
        Assert.Equal(2, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_NoPasswordSourceAndNoTerminal_Exit2()
    {
        var (exit, _, stderr) = Run(null, "add", "--db", _temp.Path, "--username", "carol");
        Assert.Equal(2, exit);
        Assert.Contains("--password-stdin", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_Twice_Exit2()
    {
        Assert.Equal(0, Run("a long pass phrase\n", "add", "--db", _temp.Path, "--username", "dave", "--password-stdin").Exit);
        var (exit, _, stderr) = Run("a long pass phrase\n", "add", "--db", _temp.Path, "--username", "DAVE", "--password-stdin");
        Assert.Equal(2, exit);
        Assert.Contains("already exists", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void List_NeverPrintsAHash()
    {
        Run("a long pass phrase\n", "add", "--db", _temp.Path, "--username", "erin", "--password-stdin");
        var (exit, stdout, _) = Run(null, "list", "--db", _temp.Path);
        Assert.Equal(0, exit);
        Assert.Contains("erin", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("AQAAAA", stdout, StringComparison.Ordinal);
        var (jsonExit, json, _) = Run(null, "list", "--db", _temp.Path, "--json");
        Assert.Equal(0, jsonExit);
        using var document = JsonDocument.Parse(json);
        Assert.Single(document.RootElement.GetProperty("users").EnumerateArray());
    }

    [Fact]
    public async Task SetPassword_EndsSessionsAndRevokesFamilies()
    {
        Run("a long pass phrase\n", "add", "--db", _temp.Path, "--username", "frank", "--password-stdin");
        var user = (await Store.FindByUsernameAsync("frank"))!;
        var sessions = new SqliteSignInSessionStore(SqliteDatabase.Open(_temp.Path));
        var now = _time.GetUtcNow();
        await sessions.AddAsync(new SignInSession("sid_1", user.UserId, null, now, now.AddHours(1)), [1, 2, 3]);

        var (exit, stdout, _) = Run("another pass phrase\n", "set-password", "--db", _temp.Path, "--username", "frank", "--password-stdin", "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(1, json.RootElement.GetProperty("sessionsEnded").GetInt32());
        Assert.Null(await sessions.FindActiveByIdAsync("sid_1", now));
        Assert.Equal(PasswordCheck.Succeeded, UserPasswords.Verify((await Store.FindByUsernameAsync("frank"))!.PasswordHash, "another pass phrase"));
    }

    [Fact]
    public void Remove_UnknownUser_Exit2AndKnownUserGone()
    {
        Run("a long pass phrase\n", "add", "--db", _temp.Path, "--username", "gina", "--password-stdin");
        Assert.Equal(0, Run(null, "remove", "--db", _temp.Path, "--username", "gina").Exit);
        var (exit, _, stderr) = Run(null, "remove", "--db", _temp.Path, "--username", "gina");
        Assert.Equal(2, exit);
        Assert.Contains("no user", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("add", "--db", "X", "--username", "h", "secret-on-the-command-line")]
    [InlineData("frobnicate", "--db", "X")]
    [InlineData("add", "--db", "X", "--username", "has space", "--generate-password")]
    public void BadArguments_Exit2(params string[] args)
    {
        var (exit, _, _) = Run(null, [.. args.Select(a => a == "X" ? _temp.Path : a)]);
        Assert.Equal(2, exit);
    }
}
