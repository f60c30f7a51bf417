using System.Collections.Concurrent;

namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>What the stateless-worker test grains report: their activations, deactivations and any overlapping turns.</summary>
public sealed class WorkerProbe
{
    private readonly Lock _lock = new();
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private readonly ConcurrentQueue<DeactivationReason> _deactivations = new();
    private int _activations;
    private int _overlaps;

    /// <summary>Workers activated so far (each gets this number, from 1).</summary>
    public int Activations => Volatile.Read(ref _activations);

    /// <summary>Times a non-reentrant worker saw a request start while another of its own requests ran.</summary>
    public int Overlaps => Volatile.Read(ref _overlaps);

    /// <summary>The reasons of the deactivations so far, in order.</summary>
    public IReadOnlyCollection<DeactivationReason> Deactivations => _deactivations;

    /// <summary>Completes once <paramref name="count"/> workers have run OnDeactivateAsync in total.</summary>
    public Task WhenDeactivatedAsync(int count)
    {
        lock (_lock)
        {
            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_deactivations.Count >= count)
            {
                signal.SetResult();
            }
            else
            {
                _waiters.Add((count, signal));
            }

            return signal.Task;
        }
    }

    internal int OnActivate() => Interlocked.Increment(ref _activations);

    internal void OnOverlap() => Interlocked.Increment(ref _overlaps);

    internal void OnDeactivate(DeactivationReason reason)
    {
        lock (_lock)
        {
            _deactivations.Enqueue(reason);
            foreach (var (count, signal) in _waiters)
            {
                if (_deactivations.Count >= count)
                {
                    signal.TrySetResult();
                }
            }
        }
    }
}
