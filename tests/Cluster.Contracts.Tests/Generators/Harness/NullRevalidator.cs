using Cluster.Routing.Hosting;

namespace Cluster.Generators.Tests.Harness;

/// <summary>A revalidator that does nothing, for handler invocations in tests.</summary>
internal sealed class NullRevalidator : IRouteRevalidator
{
    public static NullRevalidator Instance { get; } = new();

    public Task RevalidatePathAsync(string path, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RevalidateTagAsync(string tag, CancellationToken cancellationToken) => Task.CompletedTask;
}
