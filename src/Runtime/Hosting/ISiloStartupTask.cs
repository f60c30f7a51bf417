namespace Cluster.Runtime.Hosting;

/// <summary>
/// Work a silo does once it is Active (it accepts grain calls and owns grains) but before it reports ready
/// (<c>/_cluster/readyz</c> answers 503 meanwhile), e.g. rendering static pages. Register as a singleton
/// <c>ISiloStartupTask</c>; tasks run concurrently, bounded together by <c>Cluster:Runtime:StartupTaskTimeout</c>.
/// A task that fails or times out is logged and the silo turns ready anyway: serving late beats not serving.
/// </summary>
public interface ISiloStartupTask
{
    /// <summary>A name for logs.</summary>
    string Name { get; }

    /// <summary>Runs the task. <paramref name="cancellationToken"/> fires at the timeout or when the silo stops.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}
