namespace Tessera.Revocation;

/// <summary>The audit record of one revocation: who asked for it, about whom, why, when, and what was done.</summary>
/// <param name="Id">Its identifier, also the <c>txn</c> of the Security Event Tokens it produced.</param>
/// <param name="Event">The trigger (<c>password_reset</c>, <c>account_compromise</c>, …, or <c>rfc7009</c>).</param>
/// <param name="Subject">The subject it concerns, if any.</param>
/// <param name="Tenant">The tenant it concerns, if any.</param>
/// <param name="Actor">Who asked: <c>admin@address</c> for the admin API, <c>client:id</c> for RFC 7009.</param>
/// <param name="Reason">The free-text reason given, if any.</param>
/// <param name="CreatedAt">When.</param>
/// <param name="ActionsJson">The actions taken, as a JSON array.</param>
public sealed record RevocationTrigger(string Id, string Event, string? Subject, string? Tenant, string Actor, string? Reason, DateTimeOffset CreatedAt, string ActionsJson);
