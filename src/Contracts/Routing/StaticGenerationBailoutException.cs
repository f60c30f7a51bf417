namespace Cluster.Routing;

/// <summary>
/// Thrown while a route with <c>Dynamic = Error</c> renders its cached response, when the handler reads request data
/// (headers, cookies, the query) that a response shared by every client cannot depend on. The runtime answers 500 and
/// logs the message, which names the route and what was read (Next.js's <c>StaticGenBailoutError</c>).
/// </summary>
public sealed class StaticGenerationBailoutException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public StaticGenerationBailoutException()
        : base("A route with Dynamic = Error couldn't be rendered statically because it used request data.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public StaticGenerationBailoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public StaticGenerationBailoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The exception for route <paramref name="route"/> reading <paramref name="expression"/> (e.g. <c>request.Headers</c>).</summary>
    internal static StaticGenerationBailoutException Create(string route, string expression)
        => new($"Route {route} with Dynamic = Error couldn't be rendered statically because it used {expression}.");
}
