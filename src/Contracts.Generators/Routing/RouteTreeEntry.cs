namespace Cluster.Generators.Routing;

/// <summary>A route to insert into the tree.</summary>
/// <param name="Pattern">The normalised pattern, e.g. <c>/blog/[id]</c>.</param>
/// <param name="SourceFile">The route file, for error messages.</param>
internal sealed record RouteTreeEntry(string Pattern, string SourceFile);
