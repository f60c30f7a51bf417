namespace Cluster.Runtime;

/// <summary>
/// A request a grain handles. A grain class implements one of these per request type it accepts; the runtime picks the
/// implementation from the request's declared type, so no reflection happens per call.
/// </summary>
/// <typeparam name="TRequest">The request; its attributes (<see cref="AlwaysInterleaveAttribute"/>, <see cref="ReadOnlyAttribute"/>) decide how it interleaves.</typeparam>
/// <typeparam name="TResponse">The response.</typeparam>
public interface IGrainHandler<TRequest, TResponse>
{
    /// <summary>Handles one request. Completing synchronously when possible keeps the call free of allocations.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">The caller's token (e.g. the HTTP client went away).</param>
    ValueTask<TResponse> HandleAsync(TRequest request, CancellationToken cancellationToken);
}
