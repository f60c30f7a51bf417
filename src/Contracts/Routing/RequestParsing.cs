namespace Cluster.Routing;

/// <summary>Parsing of the cookie header and the query string, done on first use.</summary>
internal static class RequestParsing
{
    private static readonly IReadOnlyDictionary<string, string> s_noCookies = new Dictionary<string, string>();
    private static readonly IReadOnlyDictionary<string, string[]> s_noQuery = new Dictionary<string, string[]>();

    public static IReadOnlyDictionary<string, string> ParseCookies(IReadOnlyDictionary<string, string> headers)
    {
        if (!headers.TryGetValue("cookie", out var header) || string.IsNullOrEmpty(header))
        {
            return s_noCookies;
        }

        var cookies = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in header.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var name = part[..equals].Trim();
            var value = part[(equals + 1)..].Trim();
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                value = value[1..^1];
            }

            cookies.TryAdd(name, Decode(value, plusIsSpace: false));
        }

        return cookies;
    }

    public static IReadOnlyDictionary<string, string[]> ParseQuery(string queryString)
    {
        var query = queryString.AsSpan();
        if (query.Length > 0 && query[0] == '?')
        {
            query = query[1..];
        }

        if (query.IsEmpty)
        {
            return s_noQuery;
        }

        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            if (pair.IsEmpty)
            {
                continue;
            }

            var equals = pair.IndexOf('=');
            var name = Decode(equals < 0 ? pair.ToString() : pair[..equals].ToString(), plusIsSpace: true);
            var value = equals < 0 ? string.Empty : Decode(pair[(equals + 1)..].ToString(), plusIsSpace: true);
            if (!values.TryGetValue(name, out var list))
            {
                values[name] = list = [];
            }

            list.Add(value);
        }

        return values.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
    }

    // Like URLSearchParams and cookie libraries: a malformed escape is kept as it is rather than failing the request.
    private static string Decode(string value, bool plusIsSpace)
    {
        if (plusIsSpace && value.Contains('+', StringComparison.Ordinal))
        {
            value = value.Replace('+', ' ');
        }

        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        try
        {
            return Uri.UnescapeDataString(value);
        }
        catch (UriFormatException)
        {
            return value;
        }
    }
}
