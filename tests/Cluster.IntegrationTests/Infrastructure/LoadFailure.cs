namespace Cluster.IntegrationTests.Infrastructure;

/// <summary>
/// One request of a <see cref="LoadGenerator"/> that did not answer 200, with when it was sent and when it ended (UTC),
/// so a test can attribute it to whatever the cluster went through at that moment.
/// </summary>
/// <param name="Path">The path requested.</param>
/// <param name="Status">The HTTP status, or <see langword="null"/> when the request threw (then see <paramref name="Error"/>).</param>
/// <param name="Started">When the request was sent (UTC).</param>
/// <param name="Ended">When the answer or the exception came (UTC).</param>
/// <param name="Error">The exception's type and message when the request threw.</param>
public sealed record LoadFailure(string Path, int? Status, DateTime Started, DateTime Ended, string? Error)
{
    /// <summary><c>/about: 503 after 12 ms</c>, for failure messages.</summary>
    public override string ToString()
        => Status is { } status
            ? $"{Path}: {status} after {(Ended - Started).TotalMilliseconds:F0} ms"
            : $"{Path}: {Error} after {(Ended - Started).TotalMilliseconds:F0} ms";
}
