namespace Tessera.AspNetCore.Diagnostics;

/// <summary>The stable codes of the findings the failure-signal analyser raises.</summary>
public static class FindingKinds
{
    /// <summary>A client's tokens consistently fail <c>exp</c>/<c>nbf</c>/<c>iat</c> by about the same offset: a clock is off.</summary>
    public const string ClockDrift = "clock_drift";

    /// <summary>One source sends many tokens whose signatures do not verify: likely forgery attempts.</summary>
    public const string SignatureFailureBurst = "signature_failure_burst";

    /// <summary>One source sends tokens with <c>alg</c> <c>none</c>, a refused algorithm, or an embedded or referenced key: likely an algorithm- or key-confusion attack.</summary>
    public const string AlgorithmConfusion = "algorithm_confusion";

    /// <summary>Many tokens name a <c>kid</c> the issuer's JWK Set lacks: a rotation not yet seen by this API (cache) or a deployment publishing keys late.</summary>
    public const string UnknownKidSpike = "unknown_kid_spike";

    /// <summary>One client keeps sending tokens for another audience: a client configuration bug.</summary>
    public const string WrongAudienceStreak = "wrong_audience_streak";

    /// <summary>One client keeps sending the wrong kind of token (e.g. an ID token as an access token): a client bug.</summary>
    public const string WrongTypeStreak = "wrong_type_streak";
}
