namespace Cluster.Grains.Matching;

/// <summary>One parsed segment of a <see cref="RoutePattern"/>.</summary>
/// <param name="Kind">What the segment matches.</param>
/// <param name="Value">The literal text of a static segment, or the param name (kept exactly, e.g. <c>foo-bar</c>).</param>
internal readonly record struct RouteSegment(RouteSegmentKind Kind, string Value)
{
    /// <summary>Whether the segment captures a param.</summary>
    public bool IsDynamic => Kind != RouteSegmentKind.Static;

    /// <summary>Whether the segment is a required or optional catch-all.</summary>
    public bool IsCatchAll => Kind is RouteSegmentKind.CatchAll or RouteSegmentKind.OptionalCatchAll;

    /// <summary>The segment as written in a pattern: <c>api</c>, <c>[id]</c>, <c>[...slug]</c>, <c>[[...slug]]</c>.</summary>
    public override string ToString() => Kind switch
    {
        RouteSegmentKind.Param => $"[{Value}]",
        RouteSegmentKind.CatchAll => $"[...{Value}]",
        RouteSegmentKind.OptionalCatchAll => $"[[...{Value}]]",
        _ => Value,
    };
}
