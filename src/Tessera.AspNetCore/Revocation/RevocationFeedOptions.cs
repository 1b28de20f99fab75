using Tessera.AspNetCore.Introspection;
using Tessera.Jose;

namespace Tessera.AspNetCore.Revocation;

/// <summary>
/// How the API subscribes to the token service's revocation feed (RFC 8936 polling of RFC 8417 Security Event
/// Tokens) and how stale its revocation state may grow before endpoints that demand fresh state fail closed.
/// Validated at start-up.
/// </summary>
public sealed class RevocationFeedOptions
{
    /// <summary>The default path of the poll endpoint under the issuer.</summary>
    public const string DefaultPollPath = "/feed/poll";

    /// <summary>The token service's issuer: the SETs' <c>iss</c>, and where its JWK Set and feed are found. Required.</summary>
    public string? Issuer { get; set; }

    /// <summary>The poll endpoint; default <c>{Issuer}/feed/poll</c>.</summary>
    public Uri? PollEndpoint { get; set; }

    /// <summary>The <c>aud</c> every SET on the feed carries; default <c>{Issuer}/feed</c>.</summary>
    public string? Audience { get; set; }

    /// <summary>This API's client id at the token service (a client allowed to read the feed). Required.</summary>
    public string? ClientId { get; set; }

    /// <summary>This API's client secret (sent with <c>client_secret_basic</c>). Required; keep it out of source control.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Algorithms the SETs may be signed with (pinned). Default ES256.</summary>
    public IList<JwsAlgorithm> AllowedAlgorithms { get; } = [];

    /// <summary>
    /// How long the revocation state may go unconfirmed (no complete, successful poll) before endpoints marked
    /// <c>RequireFreshRevocation()</c> fail closed with 503. Default 30 s. The token service holds an idle poll open
    /// for up to 10 s, so a healthy feed confirms the state at least that often: keep this above 10 s.
    /// </summary>
    public TimeSpan MaxStaleness { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one poll may take before it is abandoned as failed (a connection that went silent). Default 25 s; above the token service's 10 s hold.</summary>
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>Most events asked for in one poll. Default 100.</summary>
    public int MaxEventsPerPoll { get; set; } = 100;

    /// <summary>The first retry delay after a failed poll; it doubles up to <see cref="MaxRetryDelay"/>, with jitter. Default 250 ms.</summary>
    public TimeSpan MinRetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest retry delay. Default 10 s.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Refuse plain-HTTP URLs except on loopback. Default true.</summary>
    public bool RequireHttps { get; set; } = true;

    internal string IssuerTrimmed => Issuer!.TrimEnd('/');

    internal Uri EffectivePollEndpoint => PollEndpoint ?? new Uri(IssuerTrimmed + DefaultPollPath);

    internal string EffectiveAudience => Audience ?? IssuerTrimmed + "/feed";

    internal List<string> Check()
    {
        const string Prefix = "Tessera revocation feed: ";
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Issuer) || !Uri.TryCreate(Issuer, UriKind.Absolute, out _))
        {
            problems.Add(Prefix + "Issuer must be the token service's issuer URL, e.g. https://id.example.com.");
            return problems;
        }

        if (RequireHttps && !HttpsPolicy.IsAcceptable(EffectivePollEndpoint))
        {
            problems.Add(Prefix + "the feed must be reached over https:// (plain http is accepted on loopback only). Fix the URL, or set RequireHttps = false only for a test network.");
        }

        if (string.IsNullOrWhiteSpace(ClientId) || string.IsNullOrEmpty(ClientSecret))
        {
            problems.Add(Prefix + "ClientId and ClientSecret are required: register the API at the token service as a client with the revocation-feed grant and configure its secret (e.g. from an environment variable).");
        }

        if (MaxStaleness < TimeSpan.FromSeconds(1) || MaxStaleness > TimeSpan.FromHours(1))
        {
            problems.Add(Prefix + "MaxStaleness must be 1 s to 1 hour (default 30 s).");
        }

        if (PollTimeout < TimeSpan.FromSeconds(1) || PollTimeout > TimeSpan.FromMinutes(5))
        {
            problems.Add(Prefix + "PollTimeout must be 1 s to 5 minutes (default 25 s), and above the token service's long-poll hold (10 s).");
        }

        if (MaxEventsPerPoll is < 1 or > 1000)
        {
            problems.Add(Prefix + "MaxEventsPerPoll must be 1 to 1000 (default 100).");
        }

        if (MinRetryDelay <= TimeSpan.Zero || MaxRetryDelay < MinRetryDelay)
        {
            problems.Add(Prefix + "MinRetryDelay must be positive and MaxRetryDelay at least MinRetryDelay.");
        }

        if (AllowedAlgorithms.Any(a => a.IsSymmetric))
        {
            problems.Add(Prefix + "AllowedAlgorithms must be asymmetric (e.g. ES256): the feed's events are signed by the token service's key ring.");
        }

        return problems;
    }
}
