using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tessera.Tests.Support;

/// <summary>The published test vectors copied into <c>tests/vectors</c> (see its README).</summary>
internal static class Vectors
{
    private static readonly Lazy<JsonArray> RfcExamples = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Vectors, "rfc-examples.json")))!["vectors"]!.AsArray());

    /// <summary>One entry of <c>rfc-examples.json</c> by its id.</summary>
    public static JsonObject RfcExample(string id) =>
        RfcExamples.Value.Select(v => v!.AsObject()).Single(v => (string?)v["id"] == id);

    public static IEnumerable<string> RfcExampleIds() => RfcExamples.Value.Select(v => (string)v!["id"]!);

    /// <summary>An RFC 7520 cookbook file, e.g. <c>jws/4_1.rsa_v15_signature.json</c>.</summary>
    public static JsonObject Rfc7520(string relativePath) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Vectors, "rfc7520", relativePath)))!.AsObject();

    public static string Json(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}
