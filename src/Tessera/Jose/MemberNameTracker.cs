using System.Text.Json;

namespace Tessera.Jose;

/// <summary>
/// Detects a member name used twice in one JSON object, at any depth, comparing names after unescaping
/// (so <c>"alg"</c> and <c>"\u0061lg"</c> collide). Works in caller-provided buffers and never allocates.
/// </summary>
internal ref struct MemberNameTracker
{
    private readonly Span<byte> _names;
    private readonly Span<int> _starts;
    private readonly Span<int> _lengths;
    private readonly Span<int> _objectFirstSlot;
    private int _slotCount;
    private int _depth;

    /// <param name="names">Room for the unescaped names of the objects currently open.</param>
    /// <param name="starts">One entry per name that can be live at once.</param>
    /// <param name="lengths">Same length as <paramref name="starts"/>.</param>
    /// <param name="objectFirstSlot">One entry per level of object nesting, plus one.</param>
    public MemberNameTracker(Span<byte> names, Span<int> starts, Span<int> lengths, Span<int> objectFirstSlot)
    {
        _names = names;
        _starts = starts;
        _lengths = lengths;
        _objectFirstSlot = objectFirstSlot;
        _slotCount = 0;
        _depth = -1;
    }

    /// <summary>Object nesting depth: 0 for members of the top-level object.</summary>
    public readonly int Depth => _depth;

    /// <summary>Call on StartObject. Returns false when nesting is deeper than the buffers allow.</summary>
    public bool EnterObject()
    {
        if (_depth + 1 >= _objectFirstSlot.Length)
        {
            return false;
        }

        _objectFirstSlot[++_depth] = _slotCount;
        return true;
    }

    /// <summary>Call on EndObject: forgets the names of the object just closed.</summary>
    public void ExitObject() => _slotCount = _objectFirstSlot[_depth--];

    /// <summary>
    /// Call on PropertyName. Returns <see cref="NameResult.Added"/> and the unescaped name, or why not.
    /// </summary>
    public NameResult Add(ref Utf8JsonReader reader, out ReadOnlySpan<byte> name)
    {
        name = default;
        var used = _slotCount == 0 ? 0 : _starts[_slotCount - 1] + _lengths[_slotCount - 1];
        if (_slotCount == _starts.Length || used + reader.ValueSpan.Length > _names.Length)
        {
            return NameResult.TooMany;
        }

        var length = reader.CopyString(_names[used..]);
        var candidate = _names.Slice(used, length);
        for (var i = _objectFirstSlot[_depth]; i < _slotCount; i++)
        {
            if (_lengths[i] == length && candidate.SequenceEqual(_names.Slice(_starts[i], length)))
            {
                return NameResult.Duplicate;
            }
        }

        _starts[_slotCount] = used;
        _lengths[_slotCount] = length;
        _slotCount++;
        name = candidate;
        return NameResult.Added;
    }

    public enum NameResult
    {
        Added,
        Duplicate,
        TooMany,
    }
}
