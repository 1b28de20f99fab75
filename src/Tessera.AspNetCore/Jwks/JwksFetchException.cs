namespace Tessera.AspNetCore.Jwks;

/// <summary>Why a fetch produced no usable key set. The codes are stable: they are the <c>error.type</c> metric attribute.</summary>
internal enum JwksFailure
{
    /// <summary>The fetch took longer than <see cref="JwksClientOptions.Timeout"/>.</summary>
    Timeout,
    /// <summary>The connection failed (DNS, TCP, TLS, or the server closed it).</summary>
    NetworkError,
    /// <summary>The server answered with a status other than 200.</summary>
    HttpStatus,
    /// <summary>The response is longer than <see cref="JwksClientOptions.MaxResponseBytes"/>, or holds too many keys.</summary>
    TooLarge,
    /// <summary>The response is not the expected JSON document.</summary>
    Malformed,
    /// <summary>A key in the set carries private members (<c>d</c>, <c>p</c>, …): the issuer published a secret.</summary>
    PrivateKey,
    /// <summary>The set holds a symmetric (<c>oct</c>) key, which must never be published.</summary>
    SymmetricKey,
    /// <summary>Two keys share a <c>kid</c>.</summary>
    DuplicateKid,
    /// <summary>A key for an allowed algorithm is weak or invalid (short RSA modulus, point off the curve, …).</summary>
    KeyRejected,
    /// <summary>No key in the set can verify any allowed algorithm.</summary>
    NoUsableKey,
    /// <summary>The discovery document's <c>issuer</c> is not the configured issuer.</summary>
    WrongIssuer,
    /// <summary>A discovered URL uses plain HTTP while <see cref="JwksClientOptions.RequireHttps"/> is set.</summary>
    InsecureUri,
}

/// <summary>A fetch failed for a known reason; the message says why, without key material.</summary>
internal sealed class JwksFetchException : Exception
{
    public JwksFetchException(JwksFailure failure, string message, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
    }

    public JwksFailure Failure { get; }

    /// <summary>True when the server answered 404, so discovery may try the next well-known address.</summary>
    public bool NotFound { get; init; }

    public string Code => ToCode(Failure);

    public static string ToCode(JwksFailure failure) => failure switch
    {
        JwksFailure.Timeout => "timeout",
        JwksFailure.NetworkError => "network_error",
        JwksFailure.HttpStatus => "http_status",
        JwksFailure.TooLarge => "too_large",
        JwksFailure.Malformed => "malformed",
        JwksFailure.PrivateKey => "private_key",
        JwksFailure.SymmetricKey => "symmetric_key",
        JwksFailure.DuplicateKid => "duplicate_kid",
        JwksFailure.KeyRejected => "key_rejected",
        JwksFailure.NoUsableKey => "no_usable_key",
        JwksFailure.WrongIssuer => "wrong_issuer",
        JwksFailure.InsecureUri => "insecure_uri",
        _ => "unknown",
    };
}
