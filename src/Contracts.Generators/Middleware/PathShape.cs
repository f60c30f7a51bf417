namespace Cluster.Generators.Middleware;

/// <summary>A matcher source that needs no regular expression at run time: a literal, then a tail.</summary>
/// <param name="Literal">The text every matching path starts with (empty for <c>/:path*</c>).</param>
/// <param name="Tail">What may follow the literal.</param>
internal readonly record struct PathShape(string Literal, PathShapeTail Tail);
