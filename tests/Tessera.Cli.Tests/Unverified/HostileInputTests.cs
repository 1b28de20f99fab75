using System.Text;
using Tessera.Cli.Tests.Support;
using Tessera.Cli.Unverified;

namespace Tessera.Cli.Tests.Unverified;

/// <summary>Malformed, oversized and hostile input gets a clear answer from inspect and lint, never an exception.</summary>
public sealed class HostileInputTests
{
    [Theory]
    [InlineData("")]
    [InlineData("...")]
    [InlineData("a.b.c")]
    [InlineData("e30.e30.")]
    [InlineData("W10.e30.")]
    [InlineData("e30.W10.")]
    [InlineData("e30.bnVsbA.")]
    [InlineData("eyJhbGciOjF9.e30.")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.%%%.abc")]
    [InlineData("a.b.c.d.e")]
    public void LintAndInspect_Malformed_AnswerWithoutThrowing(string token)
    {
        var lint = CliRunner.Run("lint", "--json", token);
        var inspect = CliRunner.Run("inspect", token);

        Assert.Contains(lint.ExitCode, new[] { 0, 1 });
        Assert.Contains(inspect.ExitCode, new[] { 0, 1 });
        Assert.Empty(lint.Error);
    }

    [Fact]
    public void Decode_DeeplyNestedPayload_IsReportedNotThrown()
    {
        var payload = string.Concat(Enumerable.Repeat("[", 5000)) + string.Concat(Enumerable.Repeat("]", 5000));
        var token = TokenBuilder.Unsigned("""{"alg":"none"}""", payload);

        Assert.True(UnverifiedToken.TryDecode(token, out var decoded, out _));
        Assert.Null(decoded.Claims);
        Assert.Contains("JWT006", CliRunner.Run("lint", "--json", token).Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_OversizedInput_IsRefused()
    {
        var huge = "eyJhbGciOiJub25lIn0." + new string('A', UnverifiedToken.MaxInputLength) + ".";

        Assert.False(UnverifiedToken.TryDecode(huge, out _, out var error));
        Assert.Contains("longer than", error, StringComparison.Ordinal);
        Assert.Equal(1, CliRunner.Run("inspect", huge).ExitCode);
    }

    [Fact]
    public void LintAndInspect_MutatedTokens_NeverThrow()
    {
        // Deterministic mutations of a real token: flipped, dropped and inserted characters.
        var random = new Random(20250601);
        var original = Corpus.Tokens["personal-data"].Token;
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \"{}";
        for (var i = 0; i < 300; i++)
        {
            var text = new StringBuilder(original);
            for (var m = random.Next(1, 6); m > 0; m--)
            {
                var at = random.Next(text.Length);
                switch (random.Next(3))
                {
                    case 0: text[at] = alphabet[random.Next(alphabet.Length)]; break;
                    case 1: text.Remove(at, 1); break;
                    default: text.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                }
            }

            var token = text.ToString();
            Assert.Contains(CliRunner.Run("lint", "--json", token).ExitCode, new[] { 0, 1 });
            Assert.Contains(CliRunner.Run("inspect", "--json", token).ExitCode, new[] { 0, 1 });
        }
    }
}
