namespace Cluster.Generators.Middleware;

/// <summary>
/// What may follow a <see cref="PathShape"/>'s literal. The names are those of the contract's
/// <c>Cluster.Routing.Hosting.MiddlewarePathTail</c>, which the emitted code names by this enum's
/// <see cref="object.ToString"/> (the generator cannot reference the contracts assembly).
/// </summary>
internal enum PathShapeTail
{
    /// <summary>Nothing: a pure literal such as <c>/about</c>.</summary>
    None,

    /// <summary><c>/:name</c>.</summary>
    OneSegment,

    /// <summary><c>/:name?</c>.</summary>
    OptionalSegment,

    /// <summary><c>/:name+</c>.</summary>
    OneOrMoreSegments,

    /// <summary><c>/:name*</c>.</summary>
    ZeroOrMoreSegments,
}
