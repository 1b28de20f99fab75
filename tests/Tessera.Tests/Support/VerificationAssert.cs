using Tessera.Jose;

namespace Tessera.Tests.Support;

internal static class VerificationAssert
{
    /// <summary>Asserts the outcome is a rejection with exactly <paramref name="expected"/>, and that it carries a detail.</summary>
    public static void Rejected(string expected, JwsVerification result)
    {
        Assert.False(result.IsValid, $"expected {expected} but the token verified");
        Assert.Equal(expected, result.Failure.ToCode());
        Assert.False(string.IsNullOrEmpty(result.Detail));
        Assert.Null(result.Key);
    }

    public static void Valid(JwsVerification result)
    {
        Assert.True(result.IsValid, $"expected valid, got {result.Failure.ToCode()}: {result.Detail}");
        Assert.NotNull(result.Key);
    }
}
