using Microsoft.AspNetCore.Connections;

namespace Cluster.Runtime.Networking;

/// <summary>The Kestrel connection handler of the cluster listener: every accepted connection goes to <see cref="ClusterListener"/>.</summary>
internal sealed class ClusterConnectionHandler : ConnectionHandler
{
    private readonly ClusterListener _listener;

    public ClusterConnectionHandler(ClusterListener listener) => _listener = listener;

    /// <inheritdoc />
    public override Task OnConnectedAsync(ConnectionContext connection) => _listener.AcceptAsync(connection);
}
