namespace Tessera.Storage.Sqlite.Users;

/// <summary>What a user name and a tenant may look like: short visible ASCII, so two names never look alike.</summary>
public static class UserRules
{
    /// <summary>The longest user name, in characters.</summary>
    public const int MaxUsernameLength = 64;

    /// <summary>The longest tenant identifier, in characters.</summary>
    public const int MaxTenantLength = 255;

    /// <summary>Null when <paramref name="username"/> is acceptable; else what to change, as a sentence.</summary>
    public static string? UsernameProblem(string? username)
    {
        if (string.IsNullOrEmpty(username) || username.Length > MaxUsernameLength)
        {
            return $"The user name must be 1 to {MaxUsernameLength} characters.";
        }

        return username.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@' or '+')
            ? null
            : $"The user name '{username}' may contain only ASCII letters, digits and . _ - @ +.";
    }

    /// <summary>Null when <paramref name="tenant"/> is acceptable (or null); else what to change, as a sentence.</summary>
    public static string? TenantProblem(string? tenant)
    {
        if (tenant is null)
        {
            return null;
        }

        return tenant.Length is > 0 and <= MaxTenantLength && tenant.All(c => c is >= '!' and <= '~')
            ? null
            : $"The tenant must be 1 to {MaxTenantLength} visible ASCII characters without spaces.";
    }
}
