namespace Cluster.Runtime.Tests.Tracing;

/// <summary>
/// Tests that attach an <see cref="System.Diagnostics.ActivityListener"/> to the runtime's sources. A listener is
/// process-wide and turns on the traced call path everywhere, so these run alone, never beside the allocation tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracingCollection
{
    public const string Name = "Tracing (process-wide activity listener)";
}
