namespace Cluster.Gateway.Pipeline;

/// <summary>Splits the raw HTTP request-target into its still-encoded path and its query.</summary>
internal static class RequestTarget
{
    /// <summary>
    /// Splits origin-form (<c>/a/b?x=1</c>) and absolute-form (<c>http://host/a/b?x=1</c>) targets. The path is the target
    /// itself when there is no query, so the common case allocates nothing. Asterisk-form (<c>*</c>) and anything else
    /// that has no path is rejected.
    /// </summary>
    public static bool TrySplit(string target, out string path, out string query)
    {
        var start = 0;
        if (target.Length == 0 || target[0] != '/')
        {
            // Absolute-form: skip "scheme://authority".
            var scheme = target.IndexOf("://", StringComparison.Ordinal);
            if (scheme <= 0)
            {
                path = query = string.Empty;
                return false;
            }

            start = target.IndexOf('/', scheme + 3);
            if (start < 0)
            {
                // "http://host" and "http://host?x" both mean the root.
                var queryAt = target.IndexOf('?', scheme + 3);
                path = "/";
                query = queryAt < 0 ? string.Empty : target[queryAt..];
                return true;
            }
        }

        var question = target.IndexOf('?', start);
        if (question < 0)
        {
            path = start == 0 ? target : target[start..];
            query = string.Empty;
            return true;
        }

        path = target[start..question];
        query = question == target.Length - 1 ? string.Empty : target[question..];
        return true;
    }
}
