using System.Text;
using System.Text.Json;

namespace Tessera.Cli.Audit;

/// <summary>
/// Maps finding locations (<c>keys[2].d</c>, <c>grant_types_supported</c>) to 1-based lines of the JSON text
/// they were found in, so SARIF results and the table can point at the line. A location that is not in
/// the document falls back to its nearest parent.
/// </summary>
internal static class JsonLineMap
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 64, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static Func<string, int?> Build(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var containers = new Stack<(bool IsArray, string Path, int Count)>();
        string? property = null;
        var line = 1;
        var scanned = 0;
        var reader = new Utf8JsonReader(bytes, Options);
        try
        {
            while (reader.Read())
            {
                var start = (int)reader.TokenStartIndex;
                line += bytes.AsSpan(scanned, start - scanned).Count((byte)'\n');
                scanned = start;
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        property = Join(containers.Count == 0 ? string.Empty : containers.Peek().Path, reader.GetString()!);
                        lines.TryAdd(property, line);
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        var path = ValuePath(containers, property, lines, line);
                        containers.Push((reader.TokenType == JsonTokenType.StartArray, path, 0));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        containers.Pop();
                        break;
                    default:
                        ValuePath(containers, property, lines, line);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Lines found before the error are still useful.
        }

        return location =>
        {
            for (var path = location; path.Length > 0; path = Parent(path))
            {
                if (lines.TryGetValue(path, out var found))
                {
                    return found;
                }
            }

            return null;
        };
    }

    private static string ValuePath(Stack<(bool IsArray, string Path, int Count)> containers, string? property, Dictionary<string, int> lines, int line)
    {
        if (containers.Count == 0)
        {
            return string.Empty;
        }

        var top = containers.Pop();
        if (!top.IsArray)
        {
            containers.Push(top);
            return property ?? top.Path;
        }

        var path = $"{top.Path}[{top.Count}]";
        containers.Push(top with { Count = top.Count + 1 });
        lines.TryAdd(path, line);
        return path;
    }

    private static string Join(string parent, string name) => parent.Length == 0 ? name : $"{parent}.{name}";

    private static string Parent(string path)
    {
        if (path.EndsWith(']'))
        {
            return path[..path.LastIndexOf('[')];
        }

        var dot = path.LastIndexOf('.');
        return dot < 0 ? string.Empty : path[..dot];
    }
}
