namespace Tessera.Jose;

/// <summary>What the verifier needs from a protected header, read without allocating.</summary>
internal struct JoseHeader
{
    /// <summary>The algorithm named by <c>alg</c>, or null when it is absent, <c>none</c> or unknown.</summary>
    public JwsAlgorithm? Algorithm;

    /// <summary>True when <c>alg</c> is present as a string.</summary>
    public bool HasAlgorithm;

    /// <summary>True when <c>alg</c> is <c>none</c> in any letter case.</summary>
    public bool AlgorithmIsNone;

    /// <summary>How many characters of <c>kid</c> were written to the caller's buffer.</summary>
    public int KidLength;

    /// <summary>True when a <c>kid</c> member is present.</summary>
    public bool HasKid;

    /// <summary>True when the <c>kid</c> is longer than any configured key's kid can be.</summary>
    public bool KidTooLong;

    /// <summary>The <c>typ</c>, when present (common values are shared instances).</summary>
    public string? Type;

    /// <summary>The first header that carries or points at a key, or null.</summary>
    public string? ForbiddenMember;

    /// <summary>Why <c>crit</c> or <c>b64</c> make the token unacceptable, or null.</summary>
    public string? CriticalProblem;
}
