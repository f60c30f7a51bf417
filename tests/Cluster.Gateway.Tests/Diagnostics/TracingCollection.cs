namespace Cluster.Gateway.Tests.Diagnostics;

/// <summary>
/// Tests that attach an <see cref="System.Diagnostics.ActivityListener"/> to the cluster's sources. A listener is
/// process-wide and turns on the traced path of every gateway in the process, so these run alone, never beside the
/// handler allocation tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracingCollection
{
    public const string Name = "Tracing (process-wide activity listener)";
}
