using System.Diagnostics;

namespace Cluster.PingBench;

/// <summary>
/// Orleans' ping benchmark shape: N callers, each sending its next call as soon as the previous one answered, for a
/// fixed time. Latencies go into buffers allocated before the run, so the run's allocations are the calls' own (plus
/// the awaits of the loop itself).
/// </summary>
internal static class ClosedLoop
{
    // Room for 500,000 calls/s over all callers (and at least 5,000 per caller): far above what two cores can do.
    private const int RecordedCallsPerSecond = 500_000;
    private const int MinRecordedCallsPerCallerPerSecond = 5_000;

    /// <param name="callers">The number of concurrent callers.</param>
    /// <param name="seconds">How long the callers keep calling.</param>
    /// <param name="record">Whether to keep latencies (false for a warm-up).</param>
    /// <param name="call">Makes caller <c>i</c>'s next call.</param>
    /// <param name="expectedPayload">The payload length every answer must carry back.</param>
    /// <param name="siloPid">The silo's process, when it is another one, to measure its CPU time too.</param>
    /// <param name="sampler">Records the allocations by type during the calls, if given.</param>
    public static async Task<Measurement> RunAsync(
        int callers, int seconds, bool record, Func<int, ValueTask<PingRequest>> call, int expectedPayload, int? siloPid, AllocationSampler? sampler = null)
    {
        var perCaller = (long)seconds * Math.Max(MinRecordedCallsPerCallerPerSecond, RecordedCallsPerSecond / callers);
        var buffers = new long[callers][];
        for (var i = 0; i < callers; i++)
        {
            buffers[i] = new long[record ? perCaller : 0];
        }

        var counts = new long[callers];
        var stop = 0;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var gen0 = GC.CollectionCount(0);
        var gen1 = GC.CollectionCount(1);
        var gen2 = GC.CollectionCount(2);
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var siloCpuBefore = siloPid is { } before ? ProcessCpu.Read(before) : TimeSpan.Zero;
        sampler?.Start();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        using var timer = new Timer(_ => Volatile.Write(ref stop, 1), null, TimeSpan.FromSeconds(seconds), Timeout.InfiniteTimeSpan);
        var loops = new Task[callers];
        for (var i = 0; i < callers; i++)
        {
            var caller = i;
            loops[i] = Task.Run(async () =>
            {
                var buffer = buffers[caller];
                long count = 0;
                while (Volatile.Read(ref stop) == 0)
                {
                    var begin = Stopwatch.GetTimestamp();
                    var response = await call(caller);
                    var end = Stopwatch.GetTimestamp();

                    // The benchmark checks its own result: an answer that is not the echo of the request fails the run.
                    if (response.Payload.Length != expectedPayload)
                    {
                        throw new InvalidOperationException($"Caller {caller} got a {response.Payload.Length}-byte answer to a {expectedPayload}-byte ping.");
                    }

                    if (count < buffer.Length)
                    {
                        buffer[count] = end - begin;
                    }

                    count++;
                }

                counts[caller] = count;
            });
        }

        await Task.WhenAll(loops);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        sampler?.Stop();
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        TimeSpan? siloCpu = siloPid is { } after ? ProcessCpu.Read(after) - siloCpuBefore : null;
        var collections = (GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2);

        var calls = counts.Sum();
        var recorded = 0L;
        for (var i = 0; i < callers; i++)
        {
            recorded += Math.Min(counts[i], buffers[i].Length);
        }

        var latencies = new long[recorded];
        var at = 0;
        for (var i = 0; i < callers; i++)
        {
            var n = (int)Math.Min(counts[i], buffers[i].Length);
            Array.Copy(buffers[i], 0, latencies, at, n);
            at += n;
        }

        Array.Sort(latencies);
        return new Measurement(calls, elapsed, latencies, record ? calls - recorded : 0, allocated, cpu, collections, siloCpu);
    }
}
