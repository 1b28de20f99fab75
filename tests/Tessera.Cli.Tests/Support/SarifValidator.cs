using System.Text.Json;

namespace Tessera.Cli.Tests.Support;

/// <summary>
/// Checks a SARIF log against the required structure of the SARIF 2.1.0 JSON schema (OASIS, sarif-schema-2.1.0):
/// required properties, types, enumerations and minimums, and — because the schema sets
/// <c>additionalProperties: false</c> on its objects — that every property is one the schema defines.
/// Covers the objects tessera emits; property bags (<c>properties</c>) may hold anything except a
/// <c>tags</c> member that is not an array of unique strings.
/// </summary>
internal static class SarifValidator
{
    private static readonly string[] LogMembers = ["$schema", "version", "runs", "inlineExternalProperties", "properties"];

    private static readonly string[] RunMembers =
    [
        "tool", "invocations", "conversion", "language", "versionControlProvenance", "originalUriBaseIds", "artifacts",
        "logicalLocations", "graphs", "results", "automationDetails", "runAggregates", "baselineGuid", "redactionTokens",
        "defaultEncoding", "defaultSourceLanguage", "newlineSequences", "columnKind", "externalPropertyFileReferences",
        "threadFlowLocations", "taxonomies", "addresses", "translations", "policies", "webRequests", "webResponses",
        "specialLocations", "properties",
    ];

    private static readonly string[] ToolMembers = ["driver", "extensions", "properties"];

    private static readonly string[] ToolComponentMembers =
    [
        "guid", "name", "organization", "product", "productSuite", "shortDescription", "fullDescription", "fullName", "version",
        "semanticVersion", "dottedQuadFileVersion", "releaseDateUtc", "downloadUri", "informationUri", "globalMessageStrings",
        "notifications", "rules", "taxa", "locations", "language", "contents", "isComprehensive", "localizedDataSemanticVersion",
        "minimumRequiredLocalizedDataSemanticVersion", "associatedComponent", "translationMetadata", "supportedTaxonomies", "properties",
    ];

    private static readonly string[] DescriptorMembers =
    [
        "id", "deprecatedIds", "guid", "deprecatedGuids", "name", "deprecatedNames", "shortDescription", "fullDescription",
        "messageStrings", "defaultConfiguration", "helpUri", "help", "relationships", "properties",
    ];

    private static readonly string[] MultiformatMembers = ["text", "markdown", "properties"];
    private static readonly string[] ConfigurationMembers = ["enabled", "level", "rank", "parameters", "properties"];

    private static readonly string[] ResultMembers =
    [
        "ruleId", "ruleIndex", "rule", "kind", "level", "message", "analysisTarget", "locations", "guid", "correlationGuid",
        "occurrenceCount", "partialFingerprints", "fingerprints", "stacks", "codeFlows", "graphs", "graphTraversals",
        "relatedLocations", "suppressions", "baselineState", "rank", "attachments", "hostedViewerUri", "workItemUris",
        "provenance", "fixes", "taxa", "webRequest", "webResponse", "properties",
    ];

    private static readonly string[] MessageMembers = ["text", "markdown", "id", "arguments", "properties"];
    private static readonly string[] LocationMembers = ["id", "physicalLocation", "logicalLocations", "message", "annotations", "relationships", "properties"];
    private static readonly string[] PhysicalLocationMembers = ["address", "artifactLocation", "region", "contextRegion", "properties"];
    private static readonly string[] ArtifactLocationMembers = ["uri", "uriBaseId", "index", "description", "properties"];

    private static readonly string[] RegionMembers =
    [
        "startLine", "startColumn", "endLine", "endColumn", "charOffset", "charLength", "byteOffset", "byteLength", "snippet",
        "message", "sourceLanguage", "properties",
    ];

    private static readonly string[] LogicalLocationMembers = ["name", "index", "fullyQualifiedName", "decoratedName", "parentIndex", "kind", "properties"];
    private static readonly string[] Levels = ["none", "note", "warning", "error"];
    private static readonly string[] ResultKinds = ["notApplicable", "pass", "fail", "review", "open", "informational"];
    private static readonly string[] ColumnKinds = ["utf16CodeUnits", "unicodeCodePoints"];

    /// <summary>Every violation found, as "path: problem"; empty when the log is valid.</summary>
    public static List<string> Validate(string sarif)
    {
        var errors = new List<string>();
        using var document = JsonDocument.Parse(sarif);
        var log = document.RootElement;
        if (!Object(log, "$", LogMembers, errors))
        {
            return errors;
        }

        Require(log, "$", "version", errors, v => v.ValueKind == JsonValueKind.String && v.GetString() == "2.1.0", "must be \"2.1.0\"");
        Optional(log, "$", "$schema", errors, v => v.ValueKind == JsonValueKind.String && Uri.TryCreate(v.GetString(), UriKind.Absolute, out _), "must be an absolute URI");
        Require(log, "$", "runs", errors, v => v.ValueKind == JsonValueKind.Array, "must be an array");
        if (log.TryGetProperty("runs", out var runs) && runs.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var run in runs.EnumerateArray())
            {
                Run(run, $"$.runs[{i++}]", errors);
            }
        }

        Properties(log, "$", errors);
        return errors;
    }

    private static void Run(JsonElement run, string path, List<string> errors)
    {
        if (!Object(run, path, RunMembers, errors))
        {
            return;
        }

        Require(run, path, "tool", errors, v => v.ValueKind == JsonValueKind.Object, "must be an object");
        var rules = new List<string>();
        if (run.TryGetProperty("tool", out var tool) && Object(tool, path + ".tool", ToolMembers, errors))
        {
            Require(tool, path + ".tool", "driver", errors, v => v.ValueKind == JsonValueKind.Object, "must be an object");
            if (tool.TryGetProperty("driver", out var driver))
            {
                rules = Driver(driver, path + ".tool.driver", errors);
            }

            Properties(tool, path + ".tool", errors);
        }

        Optional(run, path, "columnKind", errors, v => v.ValueKind == JsonValueKind.String && ColumnKinds.Contains(v.GetString()), "must be utf16CodeUnits or unicodeCodePoints");
        Optional(run, path, "results", errors, v => v.ValueKind == JsonValueKind.Array, "must be an array");
        if (run.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var result in results.EnumerateArray())
            {
                Result(result, $"{path}.results[{i++}]", rules, errors);
            }
        }

        Properties(run, path, errors);
    }

    private static List<string> Driver(JsonElement driver, string path, List<string> errors)
    {
        var ids = new List<string>();
        if (!Object(driver, path, ToolComponentMembers, errors))
        {
            return ids;
        }

        Require(driver, path, "name", errors, v => v.ValueKind == JsonValueKind.String, "must be a string");
        Optional(driver, path, "version", errors, v => v.ValueKind == JsonValueKind.String, "must be a string");
        Optional(driver, path, "semanticVersion", errors, v => v.ValueKind == JsonValueKind.String, "must be a string");
        Optional(driver, path, "informationUri", errors, v => v.ValueKind == JsonValueKind.String && Uri.TryCreate(v.GetString(), UriKind.Absolute, out _), "must be an absolute URI");
        Optional(driver, path, "rules", errors, v => v.ValueKind == JsonValueKind.Array, "must be an array");
        if (driver.TryGetProperty("rules", out var rules) && rules.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var rule in rules.EnumerateArray())
            {
                var rulePath = $"{path}.rules[{i++}]";
                if (!Object(rule, rulePath, DescriptorMembers, errors))
                {
                    continue;
                }

                Require(rule, rulePath, "id", errors, v => v.ValueKind == JsonValueKind.String, "must be a string");
                ids.Add(rule.TryGetProperty("id", out var id) ? id.GetString() ?? string.Empty : string.Empty);
                Optional(rule, rulePath, "name", errors, v => v.ValueKind == JsonValueKind.String, "must be a string");
                foreach (var text in new[] { "shortDescription", "fullDescription", "help" })
                {
                    if (rule.TryGetProperty(text, out var message) && Object(message, $"{rulePath}.{text}", MultiformatMembers, errors))
                    {
                        Require(message, $"{rulePath}.{text}", "text", errors, v => v.ValueKind == JsonValueKind.String, "must be a string");
                        Properties(message, $"{rulePath}.{text}", errors);
                    }
                }

                Optional(rule, rulePath, "helpUri", errors, v => v.ValueKind == JsonValueKind.String && Uri.TryCreate(v.GetString(), UriKind.Absolute, out _), "must be an absolute URI");
                if (rule.TryGetProperty("defaultConfiguration", out var configuration) && Object(configuration, rulePath + ".defaultConfiguration", ConfigurationMembers, errors))
                {
                    Optional(configuration, rulePath + ".defaultConfiguration", "level", errors, v => v.ValueKind == JsonValueKind.String && Levels.Contains(v.GetString()), "must be none, note, warning or error");
                    Optional(configuration, rulePath + ".defaultConfiguration", "enabled", errors, v => v.ValueKind is JsonValueKind.True or JsonValueKind.False, "must be a boolean");
                    Properties(configuration, rulePath + ".defaultConfiguration", errors);
                }

                Properties(rule, rulePath, errors);
            }
        }

        if (ids.Count != ids.Distinct(StringComparer.Ordinal).Count())
        {
            errors.Add($"{path}.rules: ids must be unique");
        }

        Properties(driver, path, errors);
        return ids;
    }

    private static void Result(JsonElement result, string path, List<string> rules, List<string> errors)
    {
        if (!Object(result, path, ResultMembers, errors))
        {
            return;
        }

        Require(result, path, "message", errors, v => v.ValueKind == JsonValueKind.Object, "must be an object");
        if (result.TryGetProperty("message", out var message) && Object(message, path + ".message", MessageMembers, errors)
            && !message.TryGetProperty("text", out _) && !message.TryGetProperty("id", out _))
        {
            errors.Add($"{path}.message: needs text or id");
        }

        Optional(result, path, "ruleId", errors, v => v.ValueKind == JsonValueKind.String, "must be a string");
        Optional(result, path, "ruleIndex", errors, v => v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) && n >= -1, "must be an integer ≥ -1");
        if (result.TryGetProperty("ruleIndex", out var index) && index.TryGetInt32(out var ruleIndex) && ruleIndex >= 0)
        {
            if (ruleIndex >= rules.Count)
            {
                errors.Add($"{path}.ruleIndex: {ruleIndex} is not an index into tool.driver.rules");
            }
            else if (result.TryGetProperty("ruleId", out var ruleId) && ruleId.GetString() != rules[ruleIndex])
            {
                errors.Add($"{path}.ruleId: '{ruleId.GetString()}' differs from rules[{ruleIndex}].id '{rules[ruleIndex]}'");
            }
        }

        Optional(result, path, "level", errors, v => v.ValueKind == JsonValueKind.String && Levels.Contains(v.GetString()), "must be none, note, warning or error");
        Optional(result, path, "kind", errors, v => v.ValueKind == JsonValueKind.String && ResultKinds.Contains(v.GetString()), "must be a result kind");
        Optional(result, path, "partialFingerprints", errors, v => v.ValueKind == JsonValueKind.Object && v.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.String), "must map names to strings");
        if (result.TryGetProperty("locations", out var locations))
        {
            if (locations.ValueKind != JsonValueKind.Array)
            {
                errors.Add($"{path}.locations: must be an array");
            }
            else
            {
                var i = 0;
                foreach (var location in locations.EnumerateArray())
                {
                    Location(location, $"{path}.locations[{i++}]", errors);
                }
            }
        }

        Properties(result, path, errors);
    }

    private static void Location(JsonElement location, string path, List<string> errors)
    {
        if (!Object(location, path, LocationMembers, errors))
        {
            return;
        }

        if (location.TryGetProperty("physicalLocation", out var physical) && Object(physical, path + ".physicalLocation", PhysicalLocationMembers, errors))
        {
            var p = path + ".physicalLocation";
            if (!physical.TryGetProperty("address", out _) && !physical.TryGetProperty("artifactLocation", out _))
            {
                errors.Add($"{p}: needs address or artifactLocation");
            }

            if (physical.TryGetProperty("artifactLocation", out var artifact) && Object(artifact, p + ".artifactLocation", ArtifactLocationMembers, errors))
            {
                Optional(artifact, p + ".artifactLocation", "uri", errors, v => v.ValueKind == JsonValueKind.String && Uri.TryCreate(v.GetString(), UriKind.RelativeOrAbsolute, out _), "must be a URI reference");
                Properties(artifact, p + ".artifactLocation", errors);
            }

            if (physical.TryGetProperty("region", out var region) && Object(region, p + ".region", RegionMembers, errors))
            {
                foreach (var name in new[] { "startLine", "startColumn", "endLine", "endColumn" })
                {
                    Optional(region, p + ".region", name, errors, v => v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) && n >= 1, "must be an integer ≥ 1");
                }

                Properties(region, p + ".region", errors);
            }

            Properties(physical, p, errors);
        }

        if (location.TryGetProperty("logicalLocations", out var logical))
        {
            if (logical.ValueKind != JsonValueKind.Array)
            {
                errors.Add($"{path}.logicalLocations: must be an array");
            }
            else
            {
                var i = 0;
                foreach (var item in logical.EnumerateArray())
                {
                    var l = $"{path}.logicalLocations[{i++}]";
                    if (Object(item, l, LogicalLocationMembers, errors))
                    {
                        foreach (var name in new[] { "name", "fullyQualifiedName", "decoratedName", "kind" })
                        {
                            Optional(item, l, name, errors, v => v.ValueKind == JsonValueKind.String, "must be a string");
                        }

                        Properties(item, l, errors);
                    }
                }
            }
        }

        Properties(location, path, errors);
    }

    private static bool Object(JsonElement element, string path, string[] members, List<string> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}: must be an object");
            return false;
        }

        foreach (var property in element.EnumerateObject().Where(p => !members.Contains(p.Name)))
        {
            errors.Add($"{path}.{property.Name}: not a property the schema defines here (additionalProperties is false)");
        }

        return true;
    }

    private static void Require(JsonElement element, string path, string name, List<string> errors, Func<JsonElement, bool> check, string rule)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            errors.Add($"{path}.{name}: required");
        }
        else if (!check(value))
        {
            errors.Add($"{path}.{name}: {rule}");
        }
    }

    private static void Optional(JsonElement element, string path, string name, List<string> errors, Func<JsonElement, bool> check, string rule)
    {
        if (element.TryGetProperty(name, out var value) && !check(value))
        {
            errors.Add($"{path}.{name}: {rule}");
        }
    }

    private static void Properties(JsonElement element, string path, List<string> errors)
    {
        if (!element.TryGetProperty("properties", out var bag))
        {
            return;
        }

        if (bag.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}.properties: must be an object");
            return;
        }

        if (bag.TryGetProperty("tags", out var tags))
        {
            var valid = tags.ValueKind == JsonValueKind.Array && tags.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String)
                && tags.EnumerateArray().Select(t => t.GetString()).Distinct().Count() == tags.GetArrayLength();
            if (!valid)
            {
                errors.Add($"{path}.properties.tags: must be an array of unique strings");
            }
        }
    }
}
