using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Cluster.Routing;

/// <summary>
/// The dynamic params of a matched route, decoded per segment: <c>[id]</c> gives one string, <c>[...slug]</c> and a
/// non-empty <c>[[...slug]]</c> give an array of segments; an empty optional catch-all is absent.
/// Serialises exactly as Next.js's params object: <c>{"id":"123"}</c>, <c>{"slug":["a","b"]}</c>, <c>{}</c>.
/// </summary>
[JsonConverter(typeof(RouteParamsJsonConverter))]
public sealed class RouteParams : IReadOnlyCollection<KeyValuePair<string, object>>
{
    private readonly string[] _names;

    // Each value is a string (single segment) or a string[] (catch-all segments).
    private readonly object[] _values;

    /// <summary>The params of a static route: none.</summary>
    public static RouteParams Empty { get; } = new([], []);

    private RouteParams(string[] names, object[] values)
    {
        _names = names;
        _values = values;
    }

    /// <summary>The number of params present.</summary>
    public int Count => _names.Length;

    /// <summary>The names of the params present, in route order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>
    /// The value of a single-segment param. For a catch-all, its segments joined by <c>/</c>.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The route has no such param, or an optional catch-all is empty.</exception>
    public string this[string name]
    {
        get
        {
            var index = IndexOf(name);
            if (index < 0)
            {
                ThrowMissing(name);
            }

            return _values[index] as string ?? string.Join('/', (string[])_values[index]);
        }
    }

    /// <summary>Builds a param set, e.g. for <c>GenerateStaticParams</c>: <c>RouteParams.Of(("id", "1"))</c> or
    /// <c>RouteParams.Of(("slug", new[] { "a", "b" }))</c>.</summary>
    /// <exception cref="ArgumentException">A value is neither a string nor a string array, or a name repeats.</exception>
    public static RouteParams Of(params (string Name, object Value)[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0)
        {
            return Empty;
        }

        var names = new string[values.Length];
        var objects = new object[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var (name, value) = values[i];
            ArgumentException.ThrowIfNullOrEmpty(name, nameof(values));
            if (value is not string and not string[])
            {
                throw new ArgumentException($"The value of param '{name}' must be a string or a string array.", nameof(values));
            }

            if (Array.IndexOf(names, name, 0, i) >= 0)
            {
                throw new ArgumentException($"The param '{name}' is given twice.", nameof(values));
            }

            names[i] = name;
            objects[i] = value is string[] array ? (string[])array.Clone() : value;
        }

        return new RouteParams(names, objects);
    }

    /// <summary>Builds a param set from arrays the caller hands over (no copy). Used by the router.</summary>
    /// <param name="names">The param names.</param>
    /// <param name="values">Each value a <see cref="string"/> or a <see cref="string"/> array.</param>
    public static RouteParams FromTrustedArrays(string[] names, object[] values)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(values);
        if (names.Length != values.Length)
        {
            throw new ArgumentException("Names and values differ in length.", nameof(values));
        }

        return names.Length == 0 ? Empty : new RouteParams(names, values);
    }

    /// <summary>Whether a param with this name is present.</summary>
    public bool ContainsKey(string name) => IndexOf(name) >= 0;

    /// <summary>The value of a single-segment param, if present.</summary>
    public bool TryGetValue(string name, [NotNullWhen(true)] out string? value)
    {
        var index = IndexOf(name);
        value = index < 0 ? null : _values[index] as string;
        return value is not null;
    }

    /// <summary>
    /// The segments of a catch-all param (a single-segment param gives a one-element array); an empty array when the
    /// param is absent, as for an empty optional catch-all.
    /// </summary>
    public string[] GetAll(string name)
    {
        var index = IndexOf(name);
        if (index < 0)
        {
            return [];
        }

        return _values[index] switch
        {
            string single => [single],
            string[] many => (string[])many.Clone(),
            _ => [],
        };
    }

    /// <summary>The raw value of a param: a <see cref="string"/> or a <see cref="string"/> array.</summary>
    public bool TryGetRaw(string name, [NotNullWhen(true)] out object? value)
    {
        var index = IndexOf(name);
        value = index < 0 ? null : _values[index];
        return value is not null;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        for (var i = 0; i < _names.Length; i++)
        {
            yield return new KeyValuePair<string, object>(_names[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => System.Text.Json.JsonSerializer.Serialize(this);

    private int IndexOf(string name)
    {
        var names = _names;
        for (var i = 0; i < names.Length; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    [DoesNotReturn]
    private static void ThrowMissing(string name) =>
        throw new KeyNotFoundException($"The route has no param named '{name}' in this request.");
}
