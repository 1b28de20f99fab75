namespace Tessera.Keys.Ring;

/// <summary>
/// Where a ring key is in its life. A key moves forward only: pending → active → retired → removed
/// (or straight to removed in an emergency). The state is computed from the key's transition times,
/// so every process that reads the same store at the same instant agrees on it.
/// </summary>
public enum KeyState
{
    /// <summary>Published in the JWKS so verifiers can fetch it, but not signing yet.</summary>
    Pending,

    /// <summary>The one key of its algorithm that signs new tokens; published.</summary>
    Active,

    /// <summary>No longer signs; still published so the tokens it signed verify until they expire.</summary>
    Retired,

    /// <summary>Not published: tokens it signed are rejected. Its private part is destroyed.</summary>
    Removed,
}
