using System.Diagnostics.Metrics;
using Cluster.Runtime.Networking;

namespace Cluster.Runtime.Diagnostics;

/// <summary>
/// The cluster transport's instruments (meter <see cref="RuntimeMetrics.MeterName"/>), on every process that has a
/// transport, silos and gateways alike: grain requests received, sent and refused unstarted, and the open connections
/// by peer and direction. Created by the transport itself, since the connection gauge reads its connection table.
/// </summary>
/// <remarks>
/// The counters are recorded on the message path: one <see cref="Counter{T}.Add(T)"/> each, with no tags or with one of
/// three preallocated tag pairs, so recording takes no lock and allocates nothing. The gauge walks the connection table
/// only when a scrape reads it.
/// </remarks>
internal sealed class MessagingMetrics
{
    private static readonly KeyValuePair<string, object?> s_unavailable = new("reason", "unavailable");
    private static readonly KeyValuePair<string, object?> s_notOwner = new("reason", "not_owner");
    private static readonly KeyValuePair<string, object?> s_expired = new("reason", "expired");

    private readonly Counter<long> _received;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _rejected;
    private readonly ClusterTransport _transport;

    public MessagingMetrics(IMeterFactory meterFactory, ClusterTransport transport)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(transport);
        _transport = transport;
        var meter = meterFactory.Create(RuntimeMetrics.MeterName);
        _received = meter.CreateCounter<long>(
            "cluster.messaging.received", "{message}", "Grain requests this silo read off the network.");
        _sent = meter.CreateCounter<long>(
            "cluster.messaging.sent", "{message}", "Grain requests this process wrote to a cluster connection.");
        _rejected = meter.CreateCounter<long>(
            "cluster.messaging.rejected", "{message}", "Grain requests this silo refused unstarted, by reason (unavailable, not_owner, expired).");
        meter.CreateObservableGauge(
            "cluster.connection.count", ObserveConnections, "{connection}", "Open cluster connections, by peer and direction (outbound: this process connected).");
    }

    /// <summary>A grain request was read off a connection (whether it then runs or is refused).</summary>
    public void RequestReceived() => _received.Add(1);

    /// <summary>A grain request was written to a connection.</summary>
    public void RequestSent() => _sent.Add(1);

    /// <summary>
    /// A received request was answered with <paramref name="outcome"/> without running: <see cref="ResponseStatus.Rejected"/>
    /// (unavailable), <see cref="ResponseStatus.NotOwner"/> (not_owner) or <see cref="ResponseStatus.Expired"/> (expired).
    /// Any other outcome ran (or failed running) and is not counted.
    /// </summary>
    public void RequestRefused(ResponseStatus outcome)
    {
        switch (outcome)
        {
            case ResponseStatus.Rejected:
                _rejected.Add(1, s_unavailable);
                break;
            case ResponseStatus.NotOwner:
                _rejected.Add(1, s_notOwner);
                break;
            case ResponseStatus.Expired:
                _rejected.Add(1, s_expired);
                break;
            default:
                break;
        }
    }

    private List<Measurement<int>> ObserveConnections()
    {
        // Open connections only: one still in its handshake (or closing) carries nothing yet.
        var counts = new Dictionary<(string Peer, bool Outbound), int>();
        foreach (var connection in _transport.Connections)
        {
            if (connection.IsOpen)
            {
                var key = (connection.PeerName, connection.IsOutbound);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }

        var measurements = new List<Measurement<int>>(counts.Count);
        foreach (var ((peer, outbound), count) in counts)
        {
            measurements.Add(new Measurement<int>(
                count, new KeyValuePair<string, object?>("cluster.peer", peer), new KeyValuePair<string, object?>("direction", outbound ? "outbound" : "inbound")));
        }

        return measurements;
    }
}
