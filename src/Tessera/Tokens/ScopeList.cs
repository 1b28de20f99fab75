namespace Tessera.Tokens;

/// <summary>The space-separated <c>scope</c> claim (RFC 6749 §3.3, RFC 9068 §2.2.3).</summary>
internal static class ScopeList
{
    public static bool Contains(ReadOnlySpan<byte> scopes, ReadOnlySpan<byte> scope)
    {
        foreach (var range in scopes.Split((byte)' '))
        {
            if (scopes[range].SequenceEqual(scope))
            {
                return true;
            }
        }

        return false;
    }
}
