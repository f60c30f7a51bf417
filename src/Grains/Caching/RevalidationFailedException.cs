namespace Cluster.Grains.Caching;

/// <summary>
/// A revalidation that not every owner confirmed: the owners of <see cref="Routes"/> could not be reached, failed, or
/// did not answer in time, so their cached entries (and gateway copies) may still be served. Other owners may have
/// dropped theirs already; revalidating again is safe. The inner exception is the first failure (an
/// <see cref="AggregateException"/> of all of them when several owners failed).
/// </summary>
public sealed class RevalidationFailedException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public RevalidationFailedException()
        : this("A revalidation was not confirmed by every owner.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public RevalidationFailedException(string message)
        : base(message)
    {
        Target = string.Empty;
        Routes = [];
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public RevalidationFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Target = string.Empty;
        Routes = [];
    }

    /// <summary>Creates the exception for a revalidation of <paramref name="target"/> that the owners of <paramref name="routes"/> did not confirm.</summary>
    /// <param name="target">What was revalidated, e.g. <c>tag 'products'</c> or <c>path '/blog/a'</c>.</param>
    /// <param name="routes">The patterns of the routes whose owners did not confirm.</param>
    /// <param name="total">How many routes the revalidation reached.</param>
    /// <param name="innerException">The failure, or an <see cref="AggregateException"/> of several.</param>
    public RevalidationFailedException(string target, IReadOnlyList<string> routes, int total, Exception? innerException)
        : base(Describe(target, routes, total), innerException)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(routes);
        Target = target;
        Routes = routes;
    }

    /// <summary>What was revalidated, e.g. <c>tag 'products'</c>.</summary>
    public string Target { get; }

    /// <summary>The patterns of the routes whose owners did not confirm.</summary>
    public IReadOnlyList<string> Routes { get; }

    private static string Describe(string target, IReadOnlyList<string> routes, int total)
    {
        const int Shown = 10;
        var listed = string.Join(", ", routes.Take(Shown)) + (routes.Count > Shown ? ", ..." : string.Empty);
        return $"The revalidation of {target} was not confirmed by the owners of {routes.Count} of its {total} route(s): {listed}. " +
            "Their cached responses may still be served; revalidate again.";
    }
}
