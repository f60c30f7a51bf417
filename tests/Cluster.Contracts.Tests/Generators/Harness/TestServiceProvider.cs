namespace Cluster.Generators.Tests.Harness;

/// <summary>A service provider over a fixed map of services.</summary>
internal sealed class TestServiceProvider(IReadOnlyDictionary<Type, object> services) : IServiceProvider
{
    public static TestServiceProvider Empty { get; } = new(new Dictionary<Type, object>());

    public object? GetService(Type serviceType) => services.TryGetValue(serviceType, out var service) ? service : null;
}
