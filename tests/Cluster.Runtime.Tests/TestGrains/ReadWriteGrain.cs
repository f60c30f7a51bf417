using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>Records every time a write overlaps a read or another write (which turn-based admission must prevent).</summary>
public sealed class ReadWriteGrain : Grain, IGrainHandler<ReadRequest, int>, IGrainHandler<WriteRequest, int>
{
    public static readonly GrainType Type = new("read-write");

    private int _reads;
    private int _writes;
    private int _violations;

    public int Violations => Volatile.Read(ref _violations);

    public async ValueTask<int> HandleAsync(ReadRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        if (Volatile.Read(ref _writes) > 0)
        {
            Interlocked.Increment(ref _violations);
        }

        request.Tracker.Enter();
        try
        {
            await request.Release;
            return Volatile.Read(ref _violations);
        }
        finally
        {
            request.Tracker.Exit();
            Interlocked.Decrement(ref _reads);
        }
    }

    public async ValueTask<int> HandleAsync(WriteRequest request, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _writes) > 1 || Volatile.Read(ref _reads) > 0)
        {
            Interlocked.Increment(ref _violations);
        }

        request.Tracker.Enter();
        try
        {
            await request.Release;
            return Volatile.Read(ref _violations);
        }
        finally
        {
            request.Tracker.Exit();
            Interlocked.Decrement(ref _writes);
        }
    }
}
