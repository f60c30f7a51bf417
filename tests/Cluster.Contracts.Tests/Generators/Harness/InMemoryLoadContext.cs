using System.Reflection;
using System.Runtime.Loader;

namespace Cluster.Generators.Tests.Harness;

/// <summary>
/// A collectible load context for the compiled test app and host. Everything else (Cluster.Contracts above all)
/// comes from the default context, so the manifest's types are the ones the test references.
/// </summary>
internal sealed class InMemoryLoadContext(IReadOnlyDictionary<string, byte[]> images) : AssemblyLoadContext(isCollectible: true)
{
    protected override Assembly? Load(AssemblyName assemblyName) =>
        assemblyName.Name is { } name && images.TryGetValue(name, out var image) ? LoadFromStream(new MemoryStream(image)) : null;
}
