using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace Cluster.Runtime.Networking;

/// <summary>
/// What <see cref="Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServer.StartAsync{TContext}"/> requires but the
/// cluster listener never uses: its endpoint runs a connection handler, so no HTTP request ever reaches this.
/// </summary>
internal sealed class NoHttpApplication : IHttpApplication<object>
{
    private static readonly object s_context = new();

    private NoHttpApplication()
    {
    }

    public static NoHttpApplication Instance { get; } = new();

    public object CreateContext(IFeatureCollection contextFeatures) => s_context;

    public void DisposeContext(object context, Exception? exception)
    {
    }

    public Task ProcessRequestAsync(object context) => Task.CompletedTask;
}
