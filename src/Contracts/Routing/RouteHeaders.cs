using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Cluster.Routing;

/// <summary>
/// Request headers: names compare case-insensitively; a header sent several times is one value joined by <c>", "</c>
/// (cookies by <c>"; "</c>). The indexer returns <c>null</c> for a missing name instead of throwing, like
/// <c>Headers.get</c> in the Fetch API; <see cref="TryGetValue"/> returns <c>false</c>.
/// </summary>
public sealed class RouteHeaders : IReadOnlyDictionary<string, string>
{
    // Few headers arrive with a request, so a linear scan over an array beats hashing and allocates nothing.
    private readonly KeyValuePair<string, string>[] _headers;

    /// <summary>No headers.</summary>
    public static RouteHeaders Empty { get; } = new([]);

    /// <summary>Wraps headers whose names are already unique (case-insensitively). The array is not copied.</summary>
    public RouteHeaders(KeyValuePair<string, string>[] headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        _headers = headers;
    }

    /// <summary>Builds headers from pairs that may repeat a name; repeated values are joined.</summary>
    public static RouteHeaders FromPairs(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var list = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in pairs)
        {
            var index = list.FindIndex(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                list.Add(new(name, value));
                continue;
            }

            var separator = string.Equals(name, "cookie", StringComparison.OrdinalIgnoreCase) ? "; " : ", ";
            list[index] = new(list[index].Key, list[index].Value + separator + value);
        }

        return new RouteHeaders([.. list]);
    }

    /// <summary>The value of a header, or <c>null</c> when the request does not carry it.</summary>
    public string this[string key] => TryGetValue(key, out var value) ? value : null!;

    /// <inheritdoc />
    public int Count => _headers.Length;

    /// <inheritdoc />
    public IEnumerable<string> Keys => _headers.Select(h => h.Key);

    /// <inheritdoc />
    public IEnumerable<string> Values => _headers.Select(h => h.Value);

    /// <summary>The headers as name/value pairs, for serialising.</summary>
    public ReadOnlySpan<KeyValuePair<string, string>> AsSpan() => _headers;

    /// <inheritdoc />
    public bool ContainsKey(string key) => TryGetValue(key, out _);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        foreach (var header in _headers)
        {
            if (string.Equals(header.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                value = header.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)_headers).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
