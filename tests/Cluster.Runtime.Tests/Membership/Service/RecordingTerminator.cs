using Cluster.Runtime.Membership;

namespace Cluster.Runtime.Tests.Membership.Service;

/// <summary>Records self-termination instead of stopping the test process.</summary>
internal sealed class RecordingTerminator : ISiloTerminator
{
    private readonly TaskCompletionSource<string> _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    public Task<string> Terminated => _terminated.Task;

    public int Calls => Volatile.Read(ref _calls);

    public void Terminate(string reason)
    {
        Interlocked.Increment(ref _calls);
        _terminated.TrySetResult(reason);
    }
}
