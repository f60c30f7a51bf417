using BenchmarkDotNet.Running;

namespace Cluster.Benchmarks;

/// <summary>Entry point: pick benchmarks with BenchmarkDotNet's usual arguments (<c>--filter</c>, <c>--job</c>, ...).</summary>
internal static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
