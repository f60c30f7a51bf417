using Cluster.TestSupport;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Cluster.IntegrationTests.Infrastructure;

/// <summary>One process of a <see cref="TestCluster"/> (a silo or a gateway) running in the test process.</summary>
public sealed class ClusterHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _stopped;
    private int _disposed;

    internal ClusterHost(string name, WebApplication app, TestLogSink logs, int siloPort)
    {
        Name = name;
        _app = app;
        Logs = logs;
        SiloPort = siloPort;
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        HttpAddress = new Uri(address);
    }

    /// <summary>e.g. <c>silo-1</c> or <c>gateway-1</c>.</summary>
    public string Name { get; }

    /// <summary>Where its HTTP endpoints listen.</summary>
    public Uri HttpAddress { get; }

    /// <summary>The cluster protocol port (0 for a gateway without a silo).</summary>
    public int SiloPort { get; }

    public TestLogSink Logs { get; }

    public IServiceProvider Services => _app.Services;

    public bool IsStopped => Volatile.Read(ref _stopped) != 0;

    /// <summary>Graceful stop (SIGTERM's path): drain, hand over, leave the membership.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(90));
        }
    }

    /// <summary>
    /// Ends the process's runtime abruptly: the host is disposed without being stopped, so no hosted service runs its
    /// stop (no ShuttingDown, no Dead row), and the transport's listener and connections close as the container disposes them.
    /// </summary>
    public async Task KillAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0 && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _app.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            try
            {
                await _app.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
            }
            catch (Exception)
            {
                // Disposing after a failed test: whatever state it is in, it goes.
            }
        }

        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _app.DisposeAsync();
        }
    }
}
