using System.Threading.Channels;

namespace Cluster.Gateway.Dashboard;

/// <summary>
/// One open event stream's queue of samples. The sampler never waits for a viewer: the queue holds the last
/// <see cref="Capacity"/> samples and drops the oldest when a viewer falls further behind, so a slow viewer skips to the
/// latest sample while the others (and the sampler) go on. Disposing it unsubscribes.
/// </summary>
internal sealed class DashboardSubscription : IDisposable
{
    /// <summary>How many samples a viewer may fall behind before it skips ahead.</summary>
    public const int Capacity = 4;

    private readonly Channel<DashboardSample> _samples = Channel.CreateBounded<DashboardSample>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = false });

    private readonly Action<DashboardSubscription> _unsubscribe;
    private int _disposed;

    public DashboardSubscription(Action<DashboardSubscription> unsubscribe) => _unsubscribe = unsubscribe;

    /// <summary>The samples, in order, with gaps only where this viewer fell behind.</summary>
    public ChannelReader<DashboardSample> Samples => _samples.Reader;

    /// <summary>Queues <paramref name="sample"/> without waiting.</summary>
    public void Offer(DashboardSample sample) => _samples.Writer.TryWrite(sample);

    /// <summary>Ends the samples (the host stops); the viewer's stream ends once it read the queued ones.</summary>
    public void Complete() => _samples.Writer.TryComplete();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _samples.Writer.TryComplete();
            _unsubscribe(this);
        }
    }
}
