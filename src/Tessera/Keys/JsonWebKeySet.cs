using System.Buffers;
using System.Collections.Frozen;
using System.Text.Json;
using Tessera.Jose;

namespace Tessera.Keys;

/// <summary>
/// An immutable set of keys with unique <c>kid</c>s, all symmetric or all asymmetric. A verifier looks a
/// token's key up here by <c>kid</c>; it never tries every key.
/// </summary>
public sealed class JsonWebKeySet
{
    private readonly FrozenDictionary<string, JsonWebKey> _byKid;
    private readonly FrozenDictionary<string, JsonWebKey>.AlternateLookup<ReadOnlySpan<char>> _byKidSpan;

    private JsonWebKeySet(IReadOnlyList<JsonWebKey> keys)
    {
        Keys = keys;
        _byKid = keys.ToFrozenDictionary(k => k.Kid, StringComparer.Ordinal);
        _byKidSpan = _byKid.GetAlternateLookup<ReadOnlySpan<char>>();
        Algorithms = keys.Select(k => k.Algorithm).Distinct().ToArray();
    }

    /// <summary>The keys, in the order given.</summary>
    public IReadOnlyList<JsonWebKey> Keys { get; }

    /// <summary>The distinct algorithms of the keys.</summary>
    public IReadOnlyList<JwsAlgorithm> Algorithms { get; }

    /// <summary>True when the set holds HMAC secrets.</summary>
    public bool IsSymmetric => Keys.Count > 0 && Keys[0].IsSymmetric;

    /// <summary>Builds a set, refusing repeated <c>kid</c>s and a mix of symmetric and asymmetric keys.</summary>
    public static JsonWebKeySet Create(IEnumerable<JsonWebKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var list = keys.ToArray();
        if (list.Length == 0)
        {
            throw new KeyRejectedException("The key set is empty. Configure at least one key.");
        }

        var duplicate = list.GroupBy(k => k.Kid, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new KeyRejectedException($"The key set repeats kid '{duplicate.Key}'. Every key needs its own kid (omit kid to use the RFC 7638 thumbprint).");
        }

        if (list.Any(k => k.IsSymmetric) && list.Any(k => !k.IsSymmetric))
        {
            throw new KeyRejectedException(
                "The key set mixes symmetric (HMAC) and asymmetric keys. Keep HMAC secrets and public keys in separate sets, " +
                "so an asymmetric public key can never be used as an HMAC secret.");
        }

        return new JsonWebKeySet(list);
    }

    /// <summary>
    /// Reads a JWK Set (<c>{"keys":[…]}</c>) or a single JWK. <paramref name="algorithms"/>, when given, binds
    /// keys without <c>alg</c> (a key without <c>alg</c> that fits none of them is left out). Encryption keys (<c>use: enc</c>, a JWE <c>alg</c>) are left out too.
    /// </summary>
    public static JsonWebKeySet Parse(string json, IReadOnlyCollection<JwsAlgorithm>? algorithms = null)
    {
        using var document = JwkReader.ParseDocument(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new KeyRejectedException("A JWK Set must be a JSON object with a \"keys\" array.");
        }

        if (!root.TryGetProperty("keys", out var keys))
        {
            return Create([JwkReader.Read(root, algorithms)]);
        }

        if (keys.ValueKind != JsonValueKind.Array)
        {
            throw new KeyRejectedException("The JWK Set's \"keys\" member must be an array.");
        }

        var loaded = new List<JsonWebKey>();
        foreach (var jwk in keys.EnumerateArray())
        {
            // An encryption key published beside the signing keys is not ours to use; a key without alg that
            // fits none of the caller's algorithms is of no use to this caller. Anything else must load cleanly.
            if (JwkReader.IsEncryptionKey(jwk) || (algorithms is not null && !JwkReader.FitsAny(jwk, algorithms)))
            {
                continue;
            }

            loaded.Add(JwkReader.Read(jwk, algorithms));
        }

        if (loaded.Count == 0 && algorithms is not null)
        {
            throw new KeyRejectedException($"No key in the set can be used with {string.Join(", ", algorithms)}.");
        }

        if (loaded.Count == 0 && keys.GetArrayLength() > 0)
        {
            throw new KeyRejectedException("The JWK Set holds no signing keys (only encryption keys, or none). Configure the issuer's signing keys.");
        }

        return Create(loaded);
    }

    /// <summary>Finds a key by <c>kid</c>.</summary>
    public bool TryGet(string kid, out JsonWebKey key) => _byKid.TryGetValue(kid, out key!);

    internal JsonWebKey? Find(ReadOnlySpan<char> kid) => _byKidSpan.TryGetValue(kid, out var key) ? key : null;

    /// <summary>The only key bound to <paramref name="algorithm"/>, or null when there are none or several.</summary>
    internal JsonWebKey? SingleFor(JwsAlgorithm algorithm)
    {
        JsonWebKey? found = null;
        foreach (var key in Keys)
        {
            if (ReferenceEquals(key.Algorithm, algorithm))
            {
                if (found is not null)
                {
                    return null;
                }

                found = key;
            }
        }

        return found;
    }

    /// <summary>The public JWK Set document. Throws for symmetric sets, which must never be published.</summary>
    public string ToPublicJson()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            foreach (var key in Keys)
            {
                key.WriteJwk(writer, includePrivate: false);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
