namespace Cluster.Routing.Wire;

/// <summary>
/// A routed request on its way from the gateway to the route grain that owns <see cref="Pattern"/>. It carries only
/// what the gateway decided (route, params, method) and what the client sent, never client-settable routing state.
/// </summary>
public sealed class RouteInvocation
{
    /// <summary>The route's normalised pattern: the key of the grain that owns it.</summary>
    public required string Pattern { get; init; }

    /// <summary>The handler to run. An automatic HEAD runs <see cref="RouteMethod.Get"/>.</summary>
    public required RouteMethod Handler { get; init; }

    /// <summary>The method the client sent, upper-case.</summary>
    public required string Method { get; init; }

    /// <summary><c>http</c> or <c>https</c>.</summary>
    public required string Scheme { get; init; }

    /// <summary>The host and optional port.</summary>
    public required string Host { get; init; }

    /// <summary>The path as routed, still percent-encoded.</summary>
    public required string Path { get; init; }

    /// <summary>The raw query including its leading <c>?</c>, or empty.</summary>
    public required string QueryString { get; init; }

    /// <summary>The request headers (the gateway has already removed internal ones).</summary>
    public required RouteHeaders Headers { get; init; }

    /// <summary>The request body, already read within the gateway's size limit.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The params the gateway's router decoded.</summary>
    public required RouteParams Params { get; init; }
}
