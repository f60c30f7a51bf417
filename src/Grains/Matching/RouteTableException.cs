namespace Cluster.Grains.Matching;

/// <summary>
/// Thrown by <see cref="RouteTable.Build"/> when the routes are invalid. It lists every error found, so one failed
/// start shows everything that needs fixing.
/// </summary>
internal sealed class RouteTableException : Exception
{
    /// <summary>Creates the exception for a non-empty list of errors.</summary>
    public RouteTableException(IReadOnlyList<string> errors)
        : base(FormatMessage(errors))
    {
        Errors = errors;
    }

    /// <summary>Every error found, one sentence each, in the order the routes were given.</summary>
    public IReadOnlyList<string> Errors { get; }

    private static string FormatMessage(IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var count = errors.Count == 1 ? "1 error" : $"{errors.Count} errors";
        return $"The route table is invalid ({count}):" + string.Concat(errors.Select(static e => "\n - " + e));
    }
}
