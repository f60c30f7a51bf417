using System.ComponentModel.DataAnnotations;

namespace Cluster.Runtime.Networking;

/// <summary>The cluster protocol's limits and timeouts, section <c>Cluster:Messaging</c>.</summary>
public sealed class MessagingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Cluster:Messaging";

    /// <summary>How long a caller waits for a response; past it the call fails with an unknown outcome (never re-sent).</summary>
    /// <value>Default 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest frame accepted; a larger length prefix closes that connection.</summary>
    /// <value>Default 16 MiB.</value>
    [Range(1024, int.MaxValue)]
    public int MaxFrameSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>How long opening a connection, including the handshake, may take.</summary>
    /// <value>Default 5 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After a connection to a silo could not be opened (refused, unreachable, handshake refused), how long grain calls to
    /// it fail at once with <see cref="SiloUnavailableException"/> instead of trying again, so a dead silo costs neither
    /// a connect nor a log line per call. Probes always try. Zero turns it off.
    /// </summary>
    /// <value>Default 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ConnectionRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a request from another process may run or wait in its grain's queue before the silo running it sends the
    /// caller a status report (executing or waiting, for how long, on which silo), then again each time this much more
    /// has passed. The silo checks every second (or every <c>StatusUpdateAfter</c>, if shorter). The caller puts the last
    /// report in the <see cref="TimeoutException"/> of a call that times out; a report never extends the timeout.
    /// </summary>
    /// <value>Default 20 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan StatusUpdateAfter { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long a silo waits for each connected peer to acknowledge a broadcast (<c>IClusterBroadcast</c>, e.g. a cache
    /// invalidation). A peer that has not answered by then has its connection closed — it then drops whatever it learned
    /// from this silo — and counts as done, so a stuck peer delays a confirmation by at most this much.
    /// </summary>
    /// <value>Default 5 seconds; 1 ms to 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00")]
    public TimeSpan BroadcastTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
