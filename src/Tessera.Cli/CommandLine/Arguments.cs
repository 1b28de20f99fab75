namespace Tessera.Cli.CommandLine;

/// <summary>
/// Parsed arguments of one command: <c>--name value</c> options (repeatable), <c>--flag</c> switches and
/// positionals. Anything the command did not declare is a usage error.
/// </summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private Arguments()
    {
    }

    public List<string> Positionals { get; } = [];

    /// <summary>Parses <paramref name="args"/>; <paramref name="options"/> take a value, <paramref name="flags"/> do not.</summary>
    public static Arguments Parse(IEnumerable<string> args, IReadOnlyCollection<string> options, IReadOnlyCollection<string> flags)
    {
        var result = new Arguments();
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var arg = e.Current;
            if (arg == "-" || !arg.StartsWith("--", StringComparison.Ordinal))
            {
                result.Positionals.Add(arg);
                continue;
            }

            var name = arg;
            string? inline = null;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                name = arg[..equals];
                inline = arg[(equals + 1)..];
            }

            if (flags.Contains(name) && inline is null)
            {
                result._flags.Add(name);
            }
            else if (options.Contains(name))
            {
                var value = inline ?? (e.MoveNext() ? e.Current : throw new UsageException($"{name} needs a value."));
                if (!result._options.TryGetValue(name, out var list))
                {
                    result._options[name] = list = [];
                }

                list.Add(value);
            }
            else
            {
                throw new UsageException($"Unknown option '{name}'.");
            }
        }

        return result;
    }

    public bool Has(string flag) => _flags.Contains(flag);

    public string? Value(string option)
    {
        if (!_options.TryGetValue(option, out var values))
        {
            return null;
        }

        return values.Count == 1 ? values[0] : throw new UsageException($"{option} may be given only once.");
    }

    public string Required(string option) => Value(option) ?? throw new UsageException($"{option} is required.");

    /// <summary>All values of a repeatable option, each also split on commas.</summary>
    public IReadOnlyList<string> Values(string option) =>
        _options.TryGetValue(option, out var values)
            ? values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList()
            : [];

    /// <summary>The single positional, or throws naming what was expected.</summary>
    public string SinglePositional(string what) => Positionals.Count switch
    {
        1 => Positionals[0],
        0 => throw new UsageException($"Missing {what}."),
        _ => throw new UsageException($"Expected one {what}, got {Positionals.Count} arguments."),
    };
}
