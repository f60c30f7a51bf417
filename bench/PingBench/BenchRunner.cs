using System.Globalization;

namespace Cluster.PingBench;

/// <summary>Warms up, then runs the closed loop <see cref="Settings.Runs"/> times and prints each run and their medians.</summary>
internal static class BenchRunner
{
    public static async Task RunAsync(Settings settings, Func<int, ValueTask<PingRequest>> call)
    {
        if (settings.Warmup > 0)
        {
            // JIT and tiered compilation, connection setup, activations, thread-pool growth: none of it in the figures.
            await ClosedLoop.RunAsync(settings.Callers, settings.Warmup, record: false, call, settings.Payload, settings.SiloPid);
        }

        using var sampler = settings.AllocationTypes ? new AllocationSampler() : null;
        var runs = new List<Measurement>(settings.Runs);
        for (var run = 1; run <= settings.Runs; run++)
        {
            var measurement = await ClosedLoop.RunAsync(settings.Callers, settings.Seconds, record: true, call, settings.Payload, settings.SiloPid, sampler);
            runs.Add(measurement);
            Console.WriteLine($"run {run}: {measurement.Describe(settings.Callers)}");
        }

        // The types of the last run only: the listener's own cost makes its runs' other figures slightly worse.
        sampler?.Print(runs[^1].Calls, top: 20);

        if (runs.Count > 1)
        {
            Console.WriteLine($"median (range) of {runs.Count} runs:");
            Console.WriteLine($"  calls/s          {Summarize(runs, static m => m.CallsPerSecond, "F0")}");
            Console.WriteLine($"  p50 ms           {Summarize(runs, static m => m.Percentile(0.50), "F3")}");
            Console.WriteLine($"  p90 ms           {Summarize(runs, static m => m.Percentile(0.90), "F3")}");
            Console.WriteLine($"  p99 ms           {Summarize(runs, static m => m.Percentile(0.99), "F3")}");
            Console.WriteLine($"  max ms           {Summarize(runs, static m => m.MaxMilliseconds, "F3")}");
            Console.WriteLine($"  B allocated/call {Summarize(runs, static m => m.AllocatedPerCall, "F0")}");
            Console.WriteLine($"  us CPU/call      {Summarize(runs, static m => m.CpuMicrosecondsPerCall, "F1")}");
            if (settings.SiloPid is not null)
            {
                Console.WriteLine($"  us CPU/call, silo {Summarize(runs, static m => m.SiloCpuMicrosecondsPerCall!.Value, "F1")}");
            }
        }
    }

    private static string Summarize(List<Measurement> runs, Func<Measurement, double> figure, string format)
    {
        var values = runs.Select(figure).Order().ToArray();
        var median = values.Length % 2 == 1 ? values[values.Length / 2] : (values[(values.Length / 2) - 1] + values[values.Length / 2]) / 2;
        return string.Create(CultureInfo.InvariantCulture,
            $"{median.ToString(format, CultureInfo.InvariantCulture)} ({values[0].ToString(format, CultureInfo.InvariantCulture)} – {values[^1].ToString(format, CultureInfo.InvariantCulture)})");
    }
}
