namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>Counts turns running at once and lets a test await "n turns have entered".</summary>
public sealed class ConcurrencyTracker
{
    private readonly Lock _lock = new();
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private int _current;
    private int _entered;

    public int Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    public int Max { get; private set; }

    public int Entered
    {
        get
        {
            lock (_lock)
            {
                return _entered;
            }
        }
    }

    public void Enter()
    {
        lock (_lock)
        {
            _current++;
            _entered++;
            Max = Math.Max(Max, _current);
            foreach (var (count, signal) in _waiters)
            {
                if (_entered >= count)
                {
                    signal.TrySetResult();
                }
            }
        }
    }

    public void Exit()
    {
        lock (_lock)
        {
            _current--;
        }
    }

    /// <summary>Completes once <paramref name="count"/> turns have entered in total.</summary>
    public Task WhenEnteredAsync(int count)
    {
        lock (_lock)
        {
            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_entered >= count)
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
}
