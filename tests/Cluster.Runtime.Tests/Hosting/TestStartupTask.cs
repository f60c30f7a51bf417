using Cluster.Runtime.Hosting;

namespace Cluster.Runtime.Tests.Hosting;

/// <summary>A start-up task that runs a test's delegate and reports when it started, finished or saw its cancellation.</summary>
internal sealed class TestStartupTask : ISiloStartupTask
{
    private readonly Func<CancellationToken, Task> _run;

    public TestStartupTask(string name, Func<CancellationToken, Task> run)
    {
        Name = name;
        _run = run;
    }

    public string Name { get; }

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Started.TrySetResult();
        using var registration = cancellationToken.Register(() => Cancelled.TrySetResult());
        await _run(cancellationToken);
        Finished.TrySetResult();
    }
}
