namespace Tessera.Server.Endpoints;

/// <summary>The database's key for hashing client secrets (shared with <c>tessera clients add</c>).</summary>
internal sealed record SecretHashingKey(byte[] Value);
