namespace Cluster.Generators.Routing;

/// <summary>One fault of a route tree.</summary>
/// <param name="Kind">The kind of fault.</param>
/// <param name="Message">Next.js's message for it (carrying its keyword), or a description of the duplicate.</param>
/// <param name="Pattern">The pattern of the route the fault is reported on.</param>
/// <param name="SourceFile">The file of that route.</param>
/// <param name="OtherSourceFile">For a duplicate URL, the file that claimed the URL first.</param>
internal sealed record RouteTreeError(RouteTreeErrorKind Kind, string Message, string Pattern, string SourceFile, string? OtherSourceFile = null);
