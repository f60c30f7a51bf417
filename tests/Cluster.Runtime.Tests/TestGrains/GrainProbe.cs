using System.Collections.Concurrent;

namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>Shared test state that grains report to and tests steer them with (registered as a singleton).</summary>
public sealed class GrainProbe
{
    private int _activations;
    private int _deactivations;
    private int _failActivations;

    public int Activations => Volatile.Read(ref _activations);

    public int Deactivations => Volatile.Read(ref _deactivations);

    /// <summary>Set when an OnActivateAsync starts.</summary>
    public TaskCompletionSource ActivationStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When set, OnActivateAsync waits for it.</summary>
    public TaskCompletionSource? ActivationGate { get; set; }

    /// <summary>Set with the reason when an OnDeactivateAsync runs.</summary>
    public TaskCompletionSource<DeactivationReason> Deactivated { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<int> Handled { get; } = new();

    public void FailNextActivations(int count) => Volatile.Write(ref _failActivations, count);

    internal async Task OnActivateAsync()
    {
        Interlocked.Increment(ref _activations);
        ActivationStarted.TrySetResult();
        if (ActivationGate is { } gate)
        {
            await gate.Task;
        }

        if (Interlocked.Decrement(ref _failActivations) >= 0)
        {
            throw new InvalidOperationException("Activation failed on purpose.");
        }
    }

    internal void OnDeactivate(DeactivationReason reason)
    {
        Interlocked.Increment(ref _deactivations);
        Deactivated.TrySetResult(reason);
    }
}
