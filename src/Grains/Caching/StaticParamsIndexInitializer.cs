using Microsoft.Extensions.Hosting;

namespace Cluster.Grains.Caching;

/// <summary>
/// Builds the <see cref="StaticParamsIndex"/> when the host starts, so a gateway refuses unlisted params from its first
/// request (a web host starts its server after its hosted services). A failing <c>GenerateStaticParams</c> never stops
/// the host: the index logs it and fails open for that route.
/// </summary>
internal sealed class StaticParamsIndexInitializer : IHostedService
{
    private readonly StaticParamsIndex _index;

    public StaticParamsIndexInitializer(StaticParamsIndex index) => _index = index;

    public Task StartAsync(CancellationToken cancellationToken) => _index.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
