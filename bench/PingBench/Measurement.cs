using System.Diagnostics;
using System.Globalization;

namespace Cluster.PingBench;

/// <summary>One measured run of the closed loop.</summary>
/// <param name="Calls">Calls completed in the run.</param>
/// <param name="Elapsed">From the first call's start to the last call's end.</param>
/// <param name="Latencies">The recorded round trips in <see cref="Stopwatch"/> ticks, sorted.</param>
/// <param name="Unrecorded">Calls whose latency did not fit the preallocated buffers (counted, not in the percentiles).</param>
/// <param name="AllocatedBytes">Bytes allocated by this whole process during the run.</param>
/// <param name="CpuTime">User + system CPU time of this whole process during the run.</param>
/// <param name="Collections">Gen0, gen1 and gen2 collections during the run.</param>
/// <param name="SiloCpuTime">CPU time of the silo process during the run, when it is another process and its pid was given.</param>
internal sealed record Measurement(
    long Calls, TimeSpan Elapsed, long[] Latencies, long Unrecorded, long AllocatedBytes, TimeSpan CpuTime, (int Gen0, int Gen1, int Gen2) Collections, TimeSpan? SiloCpuTime)
{
    private static readonly double s_ticksPerMillisecond = Stopwatch.Frequency / 1000.0;

    public double CallsPerSecond => Calls / Elapsed.TotalSeconds;

    public double AllocatedPerCall => (double)AllocatedBytes / Calls;

    public double CpuMicrosecondsPerCall => CpuTime.TotalMicroseconds / Calls;

    public double? SiloCpuMicrosecondsPerCall => SiloCpuTime?.TotalMicroseconds / Calls;

    public double MaxMilliseconds => Latencies.Length == 0 ? double.NaN : Latencies[^1] / s_ticksPerMillisecond;

    public double Percentile(double p)
        => Latencies.Length == 0 ? double.NaN : Latencies[Math.Min(Latencies.Length - 1, (int)(Latencies.Length * p))] / s_ticksPerMillisecond;

    public string Describe(int callers)
    {
        var unrecorded = Unrecorded > 0 ? $"; {Unrecorded} calls not in the percentiles (buffers full)" : string.Empty;
        var silo = SiloCpuMicrosecondsPerCall is { } siloCpu ? string.Create(CultureInfo.InvariantCulture, $" (+ {siloCpu:F1} us in the silo process)") : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"{Calls} calls in {Elapsed.TotalSeconds:F2} s: {CallsPerSecond:F0} calls/s; latency p50 {Percentile(0.50):F3} ms, " +
            $"p90 {Percentile(0.90):F3} ms, p99 {Percentile(0.99):F3} ms, max {MaxMilliseconds:F3} ms; " +
            $"mean {Elapsed.TotalMilliseconds * callers / Calls:F3} ms (Little's law); {AllocatedPerCall:F0} B allocated/call; " +
            $"{CpuMicrosecondsPerCall:F1} us CPU/call{silo}; GCs {Collections.Gen0}/{Collections.Gen1}/{Collections.Gen2}{unrecorded}.");
    }
}
