using System.Net;
using System.Net.Sockets;

namespace Cluster.IntegrationTests.Infrastructure;

/// <summary>Free loopback TCP ports for silos (whose port is part of their identity, so it is chosen before start).</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
