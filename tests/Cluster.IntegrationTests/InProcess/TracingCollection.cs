namespace Cluster.IntegrationTests.InProcess;

/// <summary>
/// Tests that attach an <see cref="System.Diagnostics.ActivityListener"/> to the cluster's sources. A listener is
/// process-wide and turns on the traced path of every host in the process, so these run alone (never during another
/// test's measurements).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracingCollection
{
    public const string Name = "Tracing (process-wide activity listener)";
}
