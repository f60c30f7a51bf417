namespace Cluster.Routing;

/// <summary>What a middleware decided.</summary>
public enum MiddlewareResultKind
{
    /// <summary>Continue routing.</summary>
    Next,

    /// <summary>Route the request as another path (or proxy it to another host); the client's URL is unchanged.</summary>
    Rewrite,

    /// <summary>Answer with a redirect.</summary>
    Redirect,

    /// <summary>Answer with the given response; routing stops.</summary>
    Respond,
}
