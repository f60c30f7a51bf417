using Cluster.Runtime.Activation;
using Cluster.Runtime.Tests.TestGrains;
using Cluster.Runtime.Tests.TestInfrastructure;

namespace Cluster.Runtime.Tests.Activation;

public sealed class TurnBasedExecutionTests
{
    [Fact]
    public async Task Increment_1000ConcurrentCallsOnNonReentrantGrain_CountIsExact()
    {
        await using var silo = await TestSilo.StartAsync(b => b.AddGrain<CounterGrain>(CounterGrain.Type));
        var counter = silo.GrainFactory.GetGrain(CounterGrain.Type, "c");

        var calls = Enumerable.Range(0, 1000)
            .Select(_ => Task.Run(() => counter.InvokeAsync<IncrementRequest, int>(new IncrementRequest()).AsTask()))
            .ToArray();
        var results = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(30));
        var count = await counter.InvokeAsync<GetCountRequest, int>(new GetCountRequest()).WithTimeout();

        Assert.Equal(1000, count);
        Assert.Equal(Enumerable.Range(1, 1000), results.Order());
    }

    [Fact]
    public async Task InvokeAsync_ReentrantGrain_RequestsInterleave()
    {
        await using var silo = await TestSilo.StartAsync(b => b.AddGrain<ReentrantWaitingGrain>(ReentrantWaitingGrain.Type));
        var grain = silo.GrainFactory.GetGrain(ReentrantWaitingGrain.Type, "r");
        var tracker = new ConcurrencyTracker();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var first = grain.InvokeAsync<WaitRequest, int>(new WaitRequest(tracker, release.Task)).AsTask();
        var second = grain.InvokeAsync<WaitRequest, int>(new WaitRequest(tracker, release.Task)).AsTask();

        // Both requests are inside the grain at once: only possible if they interleave.
        await tracker.WhenEnteredAsync(2).WithTimeout();
        Assert.Equal(2, tracker.Current);
        release.SetResult();
        await Task.WhenAll(first, second).WithTimeout();
    }

    [Fact]
    public async Task InvokeAsync_NonReentrantGrain_SecondRequestWaitsForFirst()
    {
        await using var silo = await TestSilo.StartAsync(b => b.AddGrain<WaitingGrain>(WaitingGrain.Type));
        var grain = silo.GrainFactory.GetGrain(WaitingGrain.Type, "w");
        var tracker = new ConcurrencyTracker();
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseSecond = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var first = grain.InvokeAsync<WaitRequest, int>(new WaitRequest(tracker, releaseFirst.Task)).AsTask();
        await tracker.WhenEnteredAsync(1).WithTimeout();
        var second = grain.InvokeAsync<WaitRequest, int>(new WaitRequest(tracker, releaseSecond.Task)).AsTask();

        Assert.Equal(1, tracker.Entered);
        Assert.False(second.IsCompleted);
        releaseFirst.SetResult();
        await first.WithTimeout();
        await tracker.WhenEnteredAsync(2).WithTimeout();
        releaseSecond.SetResult();
        await second.WithTimeout();
        Assert.Equal(1, tracker.Max);
    }

    [Fact]
    public async Task InvokeAsync_ReadOnlyRequests_OverlapEachOtherButNeverAWrite()
    {
        await using var silo = await TestSilo.StartAsync(b => b.AddGrain<ReadWriteGrain>(ReadWriteGrain.Type));
        var grain = silo.GrainFactory.GetGrain(ReadWriteGrain.Type, "rw");
        var reads = new ConcurrencyTracker();
        var writes = new ConcurrencyTracker();
        var releaseReads = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseWrite = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseLateRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Two reads run together.
        var read1 = grain.InvokeAsync<ReadRequest, int>(new ReadRequest(reads, releaseReads.Task)).AsTask();
        var read2 = grain.InvokeAsync<ReadRequest, int>(new ReadRequest(reads, releaseReads.Task)).AsTask();
        await reads.WhenEnteredAsync(2).WithTimeout();

        // A write waits for both reads.
        var write = grain.InvokeAsync<WriteRequest, int>(new WriteRequest(writes, releaseWrite.Task)).AsTask();
        Assert.Equal(0, writes.Entered);
        releaseReads.SetResult();
        await Task.WhenAll(read1, read2).WithTimeout();
        await writes.WhenEnteredAsync(1).WithTimeout();

        // A read waits for the running write.
        var lateRead = grain.InvokeAsync<ReadRequest, int>(new ReadRequest(reads, releaseLateRead.Task)).AsTask();
        Assert.Equal(2, reads.Entered);
        releaseWrite.SetResult();
        await write.WithTimeout();
        await reads.WhenEnteredAsync(3).WithTimeout();
        releaseLateRead.SetResult();
        var violations = await lateRead.WithTimeout();

        Assert.Equal(2, reads.Max);
        Assert.Equal(0, violations);
    }

    [Fact]
    public async Task InvokeAsync_AlwaysInterleaveRequest_RunsWhileABlockingTurnRuns()
    {
        await using var silo = await TestSilo.StartAsync(b => b.AddGrain<PeekGrain>(PeekGrain.Type));
        var grain = silo.GrainFactory.GetGrain(PeekGrain.Type, "p");
        var tracker = new ConcurrencyTracker();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocking = grain.InvokeAsync<WaitRequest, int>(new WaitRequest(tracker, release.Task)).AsTask();
        await tracker.WhenEnteredAsync(1).WithTimeout();

        var peeked = await grain.InvokeAsync<Peek, int>(new Peek(21)).WithTimeout();

        Assert.Equal(42, peeked);
        Assert.False(blocking.IsCompleted);
        release.SetResult();
        await blocking.WithTimeout();
    }

    [Fact]
    public void RequestTraits_AttributesOnRequestTypes_GiveKinds()
    {
        Assert.Equal(RequestKind.Blocking, RequestTraits<IncrementRequest>.Kind);
        Assert.Equal(RequestKind.ReadOnly, RequestTraits<GetCountRequest>.Kind);
        Assert.Equal(RequestKind.Interleaved, RequestTraits<Peek>.Kind);
    }
}
