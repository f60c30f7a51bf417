using System.Diagnostics;

namespace Cluster.Runtime.Tests.TestInfrastructure;

/// <summary>A bounded poll for state that changes on another thread with no event to await (never a measure of speed).</summary>
internal static class Eventually
{
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var elapsed = Stopwatch.StartNew();
        while (!condition())
        {
            if (elapsed.Elapsed > TestTimeouts.Default)
            {
                throw new TimeoutException($"Never saw {what} within {TestTimeouts.Default}.");
            }

            await Task.Delay(10);
        }
    }
}
