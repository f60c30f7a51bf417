using BenchmarkDotNet.Running;
using Cluster.Benchmarks.Caching;

namespace Cluster.Benchmarks;

/// <summary>
/// Entry point: pick benchmarks with BenchmarkDotNet's usual arguments (<c>--filter</c>, <c>--job</c>, ...), or
/// <c>--cache-entry-cost</c> for the heap cost of a cached response.
/// </summary>
internal static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["--cache-entry-cost"])
        {
            // A heap measurement, not a timing: BenchmarkDotNet's machinery would only add noise to it.
            CacheEntryCost.Run();
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
