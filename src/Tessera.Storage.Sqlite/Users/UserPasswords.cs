using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Tessera.Storage.Sqlite.Users;

/// <summary>
/// User passwords, hashed by ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> (PBKDF2-HMAC-SHA512 with a
/// random salt and 100,000 iterations, the format versioned in the hash so old hashes are upgraded at sign-in).
/// Passwords are guessable, so they get a slow hash; the 256-bit client secrets and tokens do not need one.
/// </summary>
public static class UserPasswords
{
    /// <summary>The shortest password accepted (NIST SP 800-63B).</summary>
    public const int MinLength = 8;

    /// <summary>The longest password accepted, in characters; enough for any pass phrase, small enough to hash quickly.</summary>
    public const int MaxLength = 256;

    private static readonly PasswordHasher<UserAccount> Hasher = new(Options.Create(new PasswordHasherOptions
    {
        CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
    }));

    // Verified against when the user name is unknown, so that answer takes as long as a wrong password.
    private static readonly Lazy<string> DecoyHash = new(() => Hasher.HashPassword(null!, "decoy password that matches nothing"));

    /// <summary>Null when <paramref name="password"/> is acceptable; else what to change, as a sentence.</summary>
    public static string? Problem(string? password)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinLength)
        {
            return $"The password must have at least {MinLength} characters; a pass phrase of several words is best.";
        }

        if (password.Length > MaxLength)
        {
            return $"The password must have at most {MaxLength} characters.";
        }

        return password.Any(char.IsControl) ? "The password must not contain control characters (such as a line break)." : null;
    }

    /// <summary>The hash to store for <paramref name="password"/>.</summary>
    /// <exception cref="ArgumentException">The password breaks the rules of <see cref="Problem"/>.</exception>
    public static string Hash(string password)
    {
        if (Problem(password) is { } problem)
        {
            throw new ArgumentException(problem, nameof(password));
        }

        return Hasher.HashPassword(null!, password);
    }

    /// <summary>Checks <paramref name="password"/> against <paramref name="hash"/>; null <paramref name="hash"/> spends the same time and fails.</summary>
    public static PasswordCheck Verify(string? hash, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length > MaxLength)
        {
            return PasswordCheck.Failed;
        }

        var result = Hasher.VerifyHashedPassword(null!, hash ?? DecoyHash.Value, password);
        return hash is null ? PasswordCheck.Failed : result switch
        {
            PasswordVerificationResult.Success => PasswordCheck.Succeeded,
            PasswordVerificationResult.SuccessRehashNeeded => PasswordCheck.SucceededRehashNeeded,
            _ => PasswordCheck.Failed,
        };
    }
}
