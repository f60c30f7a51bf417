using Cluster.Runtime.Activation;
using Cluster.Runtime.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cluster.Runtime.Tests.TestInfrastructure;

/// <summary>An in-process silo built from a plain service collection, started and stopped like the host would.</summary>
internal sealed class TestSilo : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly IHostedService[] _hostedServices;
    private bool _stopped;

    private TestSilo(ServiceProvider services)
    {
        _services = services;
        _hostedServices = [.. services.GetServices<IHostedService>()];
    }

    public IServiceProvider Services => _services;

    public IGrainFactory GrainFactory => _services.GetRequiredService<IGrainFactory>();

    public ISiloStatus Status => _services.GetRequiredService<ISiloStatus>();

    public ActivationCatalog Catalog => _services.GetRequiredService<ActivationCatalog>();

    public ActivationCollector Collector => _services.GetRequiredService<ActivationCollector>();

    public static async Task<TestSilo> StartAsync(
        Action<IClusterRuntimeBuilder> configure,
        Action<IServiceCollection>? services = null,
        TimeProvider? timeProvider = null,
        Action<GrainCollectionOptions>? collection = null,
        Action<ClusterRuntimeOptions>? runtime = null)
    {
        var collection1 = new ServiceCollection();
        if (timeProvider is not null)
        {
            collection1.AddSingleton(timeProvider);
        }

        services?.Invoke(collection1);
        var builder = collection1.AddClusterRuntime(runtime);
        configure(builder);
        if (collection is not null)
        {
            collection1.Configure(collection);
        }

        var provider = collection1.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var silo = new TestSilo(provider);
        foreach (var hosted in silo._hostedServices)
        {
            await hosted.StartAsync(CancellationToken.None).WithTimeout();
        }

        return silo;
    }

    /// <summary>Starts the host's stop sequence and returns it without waiting.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        _stopped = true;
        return Task.WhenAll(_hostedServices.Reverse().Select(h => h.StopAsync(cancellationToken)));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await StopAsync().WithTimeout();
        }

        await _services.DisposeAsync();
    }
}
