using Cluster.Routing;

namespace Cluster.Gateway.Pipeline;

/// <summary>
/// Next.js's method rules, decided in the gateway so 400/405/OPTIONS never cost a grain call: an unknown method token is
/// 400; a known method the route does not define is 405 with <c>Allow</c>; HEAD runs GET without a body; OPTIONS
/// without a handler is 204 with <c>Allow</c>.
/// </summary>
internal static class RouteMethodGate
{
    private static readonly (RouteMethod Method, string Name)[] s_methods =
    [
        (RouteMethod.Delete, "DELETE"),
        (RouteMethod.Get, "GET"),
        (RouteMethod.Head, "HEAD"),
        (RouteMethod.Options, "OPTIONS"),
        (RouteMethod.Patch, "PATCH"),
        (RouteMethod.Post, "POST"),
        (RouteMethod.Put, "PUT"),
    ];

    /// <summary>Parses an HTTP method token. Kestrel interns the common ones, so the checks are reference compares.</summary>
    public static bool TryParse(string method, out RouteMethod result)
    {
        if (HttpMethods.IsGet(method))
        {
            result = RouteMethod.Get;
        }
        else if (HttpMethods.IsPost(method))
        {
            result = RouteMethod.Post;
        }
        else if (HttpMethods.IsHead(method))
        {
            result = RouteMethod.Head;
        }
        else if (HttpMethods.IsPut(method))
        {
            result = RouteMethod.Put;
        }
        else if (HttpMethods.IsDelete(method))
        {
            result = RouteMethod.Delete;
        }
        else if (HttpMethods.IsPatch(method))
        {
            result = RouteMethod.Patch;
        }
        else if (HttpMethods.IsOptions(method))
        {
            result = RouteMethod.Options;
        }
        else
        {
            result = default;
            return false;
        }

        return true;
    }

    /// <summary>
    /// Which handler serves <paramref name="method"/> on a route implementing <paramref name="implemented"/>, or
    /// <c>null</c> when the gateway answers itself (automatic OPTIONS, or 405).
    /// </summary>
    public static RouteMethod? SelectHandler(RouteMethod method, RouteMethods implemented)
    {
        if (Implements(implemented, method))
        {
            return method;
        }

        return method == RouteMethod.Head && Implements(implemented, RouteMethod.Get) ? RouteMethod.Get : null;
    }

    /// <summary>
    /// The <c>Allow</c> value of a route: the methods it implements, HEAD when it has GET, and OPTIONS; sorted and
    /// joined by <c>", "</c> (Next.js's automatic OPTIONS answer).
    /// </summary>
    public static string FormatAllow(RouteMethods implemented)
    {
        var names = new List<string>(s_methods.Length);
        foreach (var (method, name) in s_methods)
        {
            var allowed = method switch
            {
                RouteMethod.Head => Implements(implemented, RouteMethod.Head) || Implements(implemented, RouteMethod.Get),
                RouteMethod.Options => true,
                _ => Implements(implemented, method),
            };
            if (allowed)
            {
                names.Add(name);
            }
        }

        return string.Join(", ", names);
    }

    private static bool Implements(RouteMethods implemented, RouteMethod method) =>
        (implemented & (RouteMethods)(1 << (int)method)) != 0;
}
