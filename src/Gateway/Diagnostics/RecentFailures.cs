namespace Cluster.Gateway.Diagnostics;

/// <summary>
/// The last <see cref="Capacity"/> requests this gateway answered with a server error, newest last, for the dashboard.
/// Failures are rare and already logged, so one lock is cheap; the success path never touches this.
/// </summary>
public sealed class RecentFailures
{
    /// <summary>How many failures are kept.</summary>
    public const int Capacity = 100;

    private readonly FailedRequest[] _ring = new FailedRequest[Capacity];
    private readonly Lock _lock = new();
    private long _total;

    /// <summary>Failures recorded since the gateway started.</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <summary>Records <paramref name="failure"/>, dropping the oldest once <see cref="Capacity"/> are kept.</summary>
    public void Record(FailedRequest failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        lock (_lock)
        {
            _ring[(int)(_total % Capacity)] = failure;
            _total++;
        }
    }

    /// <summary>The kept failures, oldest first.</summary>
    public FailedRequest[] Snapshot()
    {
        lock (_lock)
        {
            var count = (int)Math.Min(_total, Capacity);
            var result = new FailedRequest[count];
            var start = _total - count;
            for (var i = 0; i < count; i++)
            {
                result[i] = _ring[(int)((start + i) % Capacity)];
            }

            return result;
        }
    }
}
