using Cluster.Routing;

namespace Cluster.Gateway.Middleware;

/// <summary>Applies a middleware's <see cref="MiddlewareResult.RequestHeaderChanges"/> to the headers the handler sees.</summary>
internal static class MiddlewareRequestHeaders
{
    /// <summary>
    /// Applies the changes in order: a value sets the header, replacing one of the same name (compared
    /// case-insensitively); <c>null</c> removes it. Names are stored lower-case, as the reader stores the client's.
    /// Returns <paramref name="headers"/> itself when there is nothing to change.
    /// </summary>
    public static RouteHeaders Apply(RouteHeaders headers, IReadOnlyList<KeyValuePair<string, string?>> changes)
    {
        if (changes.Count == 0)
        {
            return headers;
        }

        var result = new List<KeyValuePair<string, string>>(headers.Count + changes.Count);
        foreach (var header in headers.AsSpan())
        {
            result.Add(header);
        }

        for (var i = 0; i < changes.Count; i++)
        {
            var (name, value) = changes[i];
            var index = result.FindIndex(header => string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase));
            if (value is null)
            {
                if (index >= 0)
                {
                    result.RemoveAt(index);
                }
            }
            else if (index >= 0)
            {
                result[index] = new(result[index].Key, value);
            }
            else
            {
                result.Add(new(name.ToLowerInvariant(), value));
            }
        }

        return result.Count == 0 ? RouteHeaders.Empty : new RouteHeaders([.. result]);
    }
}
